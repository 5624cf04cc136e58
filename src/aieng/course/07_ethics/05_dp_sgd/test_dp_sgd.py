"""Checks for `dp-sgd`: per-sample gradients against one backward pass per example (torch.autograd, float64,
relative tolerance 1e-10), clipping norms exactly, the noise by a KS test against N(0, (σC)²), the privacy
accounting against opacus' own RDP analysis, and a short private training run on scikit-learn's breast
cancer data.

Opacus is the answer key for the accounting: its module opacus/accountants/analysis/rdp.py (the code
behind RDPAccountant) is loaded by file, so this check does not pay for importing all of opacus, and
with the same integer orders your ε must match its ε to a relative 1e-9 (both sum the same series in
float64). While your functions run, `import opacus` is switched off.

Statistics: the KS tests reject at α = 1e-4 and the mean checks allow 4.4 standard errors (1e-5), so a
correct implementation fails a check with probability below 2e-4 for a random seed; seeds are fixed.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import types
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from torch import nn

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)
ALPHA, Z = 1e-4, 4.4
ORDERS = list(range(2, 65))


def _opacus_rdp():
    """opacus/accountants/analysis/rdp.py, loaded on its own (it needs only numpy and scipy)."""
    spec = importlib.util.find_spec("opacus")
    path = Path(spec.origin).parent / "accountants" / "analysis" / "rdp.py"
    module_spec = importlib.util.spec_from_file_location("opacus_rdp_oracle", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


RDP = _opacus_rdp()


class _SwitchedOff(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AssertionError("implement it yourself: opacus is switched off in this exercise")


@contextmanager
def no_opacus():
    names = ["opacus", "opacus.accountants", "opacus.accountants.analysis", "opacus.accountants.analysis.rdp"]
    saved = {name: sys.modules.get(name) for name in names}
    sys.modules.update({name: _SwitchedOff(name) for name in names})
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def opacus_epsilon(sigma: float, q: float, steps: int, delta: float, orders=ORDERS) -> float:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "optimal order is the largest alpha"
        rdp = RDP.compute_rdp(q=q, noise_multiplier=sigma, steps=steps, orders=orders)
        return float(RDP.get_privacy_spent(orders=orders, rdp=rdp, delta=delta)[0])


def make_model(kind: int, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    if kind == 0:
        return nn.Linear(5, 3).double()
    if kind == 1:
        return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)).double()
    layers = [nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 6), nn.Sigmoid(), nn.Linear(6, 3, bias=False)]
    return nn.Sequential(*layers).double()


def loop_gradients(model: nn.Module, loss_fn, x, y) -> dict[str, torch.Tensor]:
    """One backward pass per example (batch of one), stacked: the plain definition of per-sample gradients."""
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    params = [p for p in model.parameters() if p.requires_grad]
    rows = [torch.autograd.grad(loss_fn(model(x[i:i + 1]), y[i:i + 1]), params) for i in range(x.shape[0])]
    return {name: torch.stack([row[j] for row in rows]) for j, name in enumerate(names)}


def batch(seed: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(size, 5, generator=g, dtype=torch.float64), torch.randint(0, 3, (size,), generator=g)


@settings(max_examples=12)
@given(st.integers(0, 2**31 - 1), st.integers(0, 2), st.integers(1, 9))
def test_per_sample_gradients_match_one_backward_per_example(impl, seed, kind, size):
    """per_sample_gradients(model, loss_fn, x, y) returns {parameter name: (B, *shape)} equal to B separate
    backward passes of loss_fn on a batch of one (torch.autograd, float64, relative tolerance 1e-10)."""
    model = make_model(kind, seed)
    x, y = batch(seed, size)
    loss_fn = nn.CrossEntropyLoss()
    expected = loop_gradients(model, loss_fn, x, y)
    with no_opacus():
        got = impl.per_sample_gradients(model, loss_fn, x, y)
    expect(isinstance(got, dict) and set(got) == set(expected),
           f"per_sample_gradients should return a dict keyed by the parameter names {sorted(expected)}, "
           f"got {sorted(got) if isinstance(got, dict) else type(got).__name__}")
    for name, value in expected.items():
        assert_close(got[name].detach().numpy(), value.numpy(), rtol=1e-10, atol=1e-12,
                     what=f"per-sample gradient of {name}")


def test_per_sample_gradients_do_not_touch_grad(impl):
    """Computing per-sample gradients leaves the parameters and their .grad alone (still None)."""
    model = make_model(1, 0)
    before = [p.detach().clone() for p in model.parameters()]
    impl.per_sample_gradients(model, nn.CrossEntropyLoss(), *batch(0, 4))
    for p, b in zip(model.parameters(), before, strict=True):
        expect(p.grad is None, "per_sample_gradients should not fill p.grad (use torch.func or autograd.grad)")
        expect(torch.equal(p.detach(), b), "per_sample_gradients changed a parameter")


@given(st.integers(0, 2**31 - 1), st.integers(1, 12), st.floats(0.01, 10))
def test_clipping_norms_are_exact(impl, seed, size, max_norm):
    """clip_per_sample scales example i by min(1, C / ||g_i||) with the norm taken over ALL parameters
    together: clipped norms equal min(||g_i||, C) to 1e-12, directions are kept, and the returned norms
    are the norms before clipping."""
    g = torch.Generator().manual_seed(seed)
    scales = torch.exp(3 * torch.randn(size, generator=g, dtype=torch.float64))
    grads = {"w": torch.randn(size, 3, 4, generator=g, dtype=torch.float64) * scales[:, None, None],
             "b": torch.randn(size, 3, generator=g, dtype=torch.float64) * scales[:, None]}
    grads["b"][0] = 0.0
    grads["w"][0] = 0.0  # a zero gradient stays zero
    norms = torch.sqrt((grads["w"] ** 2).sum(dim=(1, 2)) + (grads["b"] ** 2).sum(dim=1))
    clipped, got_norms = impl.clip_per_sample(grads, max_norm)
    assert_close(np.asarray(got_norms), norms.numpy(), rtol=1e-12, what="norms before clipping")
    after = torch.sqrt((clipped["w"] ** 2).sum(dim=(1, 2)) + (clipped["b"] ** 2).sum(dim=1))
    assert_close(after.numpy(), torch.clamp(norms, max=max_norm).numpy(), rtol=1e-12, atol=1e-15,
                 what=f"norms after clipping to C = {max_norm}")
    factor = torch.clamp(max_norm / torch.where(norms > 0, norms, 1.0), max=1.0)
    assert_close(clipped["w"].numpy(), (grads["w"] * factor[:, None, None]).numpy(), rtol=1e-12, atol=1e-15,
                 what="clipped gradient of w")


def test_noisy_gradient_without_noise_is_the_mean(impl):
    """With noise_multiplier = 0, noisy_gradient is the sum of the clipped gradients over the batch divided
    by the EXPECTED batch size (here 8, though the batch holds 5)."""
    g = torch.Generator().manual_seed(3)
    clipped = {"w": torch.randn(5, 2, 3, generator=g, dtype=torch.float64)}
    got = impl.noisy_gradient(clipped, 0.0, 1.0, 8.0, g)
    assert_close(got["w"].numpy(), (clipped["w"].sum(0) / 8).numpy(), rtol=1e-12, what="noise-free gradient")


@settings(max_examples=5)
@given(st.integers(0, 2**31 - 1), st.floats(0.3, 3), st.floats(0.1, 5), st.floats(1, 100))
def test_noisy_gradient_noise_distribution(impl, seed, sigma, max_norm, expected_batch):
    """The noise of noisy_gradient, times the expected batch size, follows N(0, (σ C)²) per coordinate: a KS
    test against scipy.stats.norm(scale=σC) on 4000 coordinates, and its mean near 0."""
    clipped = {"w": torch.zeros(1, 40, 50, dtype=torch.float64), "b": torch.zeros(1, 2000, dtype=torch.float64)}
    got = impl.noisy_gradient(clipped, sigma, max_norm, expected_batch, torch.Generator().manual_seed(seed))
    noise = np.concatenate([got["w"].numpy().ravel(), got["b"].numpy().ravel()]) * expected_batch
    scale = sigma * max_norm
    result = stats.kstest(noise, stats.norm(scale=scale).cdf)
    expect(result.pvalue >= ALPHA, f"noise times the batch size should be N(0, {scale:.4g}²): KS p = "
                                   f"{result.pvalue:.2g}, sample std {noise.std():.4g}")
    expect(abs(noise.mean()) <= Z * scale / math.sqrt(noise.size),
           f"the noise should have mean 0, got {noise.mean():.4g}")


@settings(max_examples=15)  # opacus sums ~2000 terms in Python per call
@given(st.floats(0.3, 5), st.floats(1e-4, 1), st.integers(1, 5000), st.sampled_from([1e-5, 1e-6, 1e-3]))
def test_epsilon_matches_opacus(impl, sigma, q, steps, delta):
    """dp_epsilon(σ, q, T, δ) over the integer orders 2..64 equals opacus' RDP analysis (compute_rdp and
    get_privacy_spent, the code behind opacus.accountants.RDPAccountant) to a relative 1e-9."""
    with no_opacus():
        got = impl.dp_epsilon(sigma, q, steps, delta)
    assert_close(got, opacus_epsilon(sigma, q, steps, delta), rtol=1e-9,
                 what=f"dp_epsilon({sigma}, {q}, {steps}, {delta})")


@given(st.floats(0.3, 5), st.floats(1e-4, 0.99), st.lists(st.integers(2, 256), min_size=1, max_size=6, unique=True))
def test_rdp_per_order_matches_opacus(impl, sigma, q, orders):
    """rdp_sampled_gaussian(q, σ, orders) gives one step's RDP at each integer order, as opacus'
    compute_rdp with steps=1 (relative 1e-9; order 256 needs a log-sum-exp to stay finite)."""
    with no_opacus():
        got = impl.rdp_sampled_gaussian(q, sigma, orders)
    assert_close(np.asarray(got, dtype=float), RDP.compute_rdp(q=q, noise_multiplier=sigma, steps=1, orders=orders),
                 rtol=1e-9, what=f"rdp_sampled_gaussian at orders {orders}")


def test_accounting_edge_cases(impl):
    """q = 1 is the plain Gaussian mechanism (RDP α / (2σ²)); q = 0 costs nothing; σ = 0 gives no privacy
    (ε = inf); more steps or less noise never lower ε."""
    assert_close(np.asarray(impl.rdp_sampled_gaussian(1.0, 2.0, [2, 10])), np.array([2 / 8, 10 / 8]),
                 what="RDP with q = 1")
    assert_close(np.asarray(impl.rdp_sampled_gaussian(0.0, 2.0, [2, 10])), np.zeros(2), what="RDP with q = 0")
    expect(math.isinf(impl.dp_epsilon(0.0, 0.1, 10, 1e-5)), "with no noise (σ = 0) ε should be inf")
    a, b, c = (impl.dp_epsilon(1.0, 0.01, 100, 1e-5), impl.dp_epsilon(1.0, 0.01, 1000, 1e-5),
               impl.dp_epsilon(0.7, 0.01, 1000, 1e-5))
    expect(a < b < c, f"ε should grow with steps and shrink with noise, got {a:.3f}, {b:.3f}, {c:.3f}")


def test_dp_sgd_step_updates_with_clipped_sum_plus_noise(impl):
    """dp_sgd_step with lr = 1 moves the parameters by -(sum of clipped per-sample gradients + noise) / E[B]:
    over 25 steps from the same start (4575 coordinates), the mean move matches the clipped sum (computed
    here with a loop), and the residual noise passes a KS test against N(0, (σC)²)."""
    seed, sigma, max_norm, expected_batch = 2718, 0.8, 0.5, 16.0
    model = nn.Sequential(nn.Linear(5, 20), nn.Tanh(), nn.Linear(20, 3)).double()
    torch.manual_seed(seed)
    start = {k: v.clone() for k, v in model.state_dict().items()}
    x, y = batch(seed, 12)
    loss_fn = nn.CrossEntropyLoss()
    grads = loop_gradients(model, loss_fn, x, y)
    norms = torch.sqrt(sum((g.reshape(12, -1) ** 2).sum(1) for g in grads.values()))
    factor = torch.clamp(max_norm / norms, max=1.0)
    expected = {k: (g * factor.reshape(-1, *[1] * (g.dim() - 1))).sum(0) / expected_batch for k, g in grads.items()}
    generator = torch.Generator().manual_seed(seed)
    residuals = []
    for _ in range(25):
        model.load_state_dict(start)
        with no_opacus():
            impl.dp_sgd_step(model, loss_fn, x, y, lr=1.0, max_norm=max_norm, noise_multiplier=sigma,
                             expected_batch_size=expected_batch, generator=generator)
        moved = {k: (start[k] - v).detach() for k, v in model.state_dict().items()}
        residuals.append(np.concatenate([(moved[k] - expected[k]).numpy().ravel() for k in expected]))
    noise = np.concatenate(residuals) * expected_batch
    scale = sigma * max_norm
    result = stats.kstest(noise, stats.norm(scale=scale).cdf)
    expect(abs(noise.mean()) <= Z * scale / math.sqrt(noise.size),
           f"the average update is off: it should be -(sum of clipped gradients)/E[B] plus zero-mean noise "
           f"(mean residual {noise.mean() / expected_batch:.4g})")
    expect(result.pvalue >= ALPHA, f"the update's noise should be N(0, (σC)²)/E[B] with σC = {scale}: KS p = "
                                   f"{result.pvalue:.2g}, residual std x E[B] = {noise.std():.4g}")


def test_private_training_keeps_accuracy(impl):
    """train_dp_sgd on breast cancer (398 training rows, standardized; logistic regression as nn.Linear(30, 2);
    σ = 1.5, C = 1, q = 0.1, 5 epochs = 50 Poisson-sampled steps, lr 0.5) reaches at least 0.90 accuracy on the
    171 held-out rows (the reference: never below 0.92 over 300 seeds, mean 0.946; scikit-learn's logistic
    regression without privacy: 0.959) and returns the ε of 50 steps at δ = 1e-5, equal to opacus' (2.87)."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    x, y = load_breast_cancer(return_X_y=True)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)
    scaler = StandardScaler().fit(x_tr)
    x_tr = torch.tensor(scaler.transform(x_tr), dtype=torch.float32)
    x_te = torch.tensor(scaler.transform(x_te), dtype=torch.float32)
    torch.manual_seed(1)
    model = nn.Linear(30, 2)
    with no_opacus():
        eps = impl.train_dp_sgd(model, x_tr, torch.tensor(y_tr), sample_rate=0.1, epochs=5, max_norm=1.0,
                                noise_multiplier=1.5, lr=0.5, delta=1e-5, seed=1)
    with torch.no_grad():
        accuracy = (model(x_te).argmax(1).numpy() == y_te).mean()
    expect(accuracy >= 0.90, f"held-out accuracy after private training is {accuracy:.3f}, below the bar of 0.90")
    assert_close(eps, opacus_epsilon(1.5, 0.1, 50, 1e-5), rtol=1e-9, what="the ε train_dp_sgd returns (50 steps)")


def test_rejects_bad_input(impl):
    """A non-positive clipping norm, a sample rate outside [0, 1], δ outside (0, 1), orders below 2 and
    mismatched x and y raise ValueError."""
    g = {"w": torch.ones(2, 3, dtype=torch.float64)}
    assert_raises_value_error(impl.clip_per_sample, g, 0.0, why="the clipping norm must be positive")
    assert_raises_value_error(impl.rdp_sampled_gaussian, 1.5, 1.0, [2, 3], why="a sample rate is at most 1")
    assert_raises_value_error(impl.rdp_sampled_gaussian, 0.1, 1.0, [1, 2], why="RDP orders start at 2")
    assert_raises_value_error(impl.dp_epsilon, 1.0, 0.1, 10, 0.0, why="delta must be in (0, 1)")
    assert_raises_value_error(impl.per_sample_gradients, make_model(0, 0), nn.CrossEntropyLoss(),
                              torch.zeros(3, 5, dtype=torch.float64), torch.zeros(2, dtype=torch.long),
                              why="x has 3 rows but y has 2")
