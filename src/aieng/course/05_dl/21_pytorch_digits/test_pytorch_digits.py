"""Checks for `pytorch-digits` (achieve): your models are trained by `fit_digits` on 70% of sklearn's digits,
split by the grader (stratified, seed 2718), and scored on the other 30%, which your code never sees.
Oracle: the accuracy is computed here, label by label, against the grader's own held-out labels.

The bars come from the reference solution on this split: CNN 0.989, MLP 0.974. They leave room for other
honest architectures and settings: at least 0.97 for the CNN and 0.95 for the MLP. Torch runs on one thread,
as the grader's CPU budget is shared.
"""

import copy

import matplotlib

matplotlib.use("Agg")  # no window: the plot is only written and inspected

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from aieng.grader.achieve import reach
from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)

SPLIT_SEED = 2718
CNN_BAR, CNN_REFERENCE = 0.97, 0.989
MLP_BAR, MLP_REFERENCE = 0.95, 0.974
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x, y = load_digits(return_X_y=True)
    return tuple(train_test_split(x, y, test_size=0.3, random_state=SPLIT_SEED, stratify=y))


@pytest.fixture(scope="module")
def cnn(impl, digits) -> nn.Module:
    x_train, _, y_train, _ = digits
    return impl.fit_digits(x_train, y_train, arch="cnn", seed=0, progress=False)


@pytest.fixture(scope="module")
def mlp(impl, digits) -> nn.Module:
    x_train, _, y_train, _ = digits
    return impl.fit_digits(x_train, y_train, arch="mlp", seed=0, progress=False)


def accuracy(impl, model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    labels = np.asarray(impl.predict(model, x))
    expect(labels.shape == y.shape, f"predict should return one label per row: shape {y.shape}, got {labels.shape}")
    return float(np.mean(labels == y))


def test_cnn_accuracy_on_held_out_digits(impl, cnn, digits, record_property):
    """The CNN trained by fit_digits(arch="cnn") labels at least 97% of the held-out digits correctly."""
    _, x_test, _, y_test = digits
    reach(record_property, "CNN held-out accuracy", accuracy(impl, cnn, x_test, y_test), bar=CNN_BAR,
          reference=CNN_REFERENCE)


def test_mlp_accuracy_on_held_out_digits(impl, mlp, digits, record_property):
    """The MLP trained by fit_digits(arch="mlp") labels at least 95% of the held-out digits correctly."""
    _, x_test, _, y_test = digits
    reach(record_property, "MLP held-out accuracy", accuracy(impl, mlp, x_test, y_test), bar=MLP_BAR,
          reference=MLP_REFERENCE)


def test_fitted_models_are_modules_in_eval_mode(cnn, mlp):
    """fit_digits returns torch.nn.Module instances with trainable parameters, switched to eval mode
    (model.training is False) so dropout is off when they predict."""
    for name, model in (("cnn", cnn), ("mlp", mlp)):
        expect(isinstance(model, nn.Module), f"fit_digits(arch={name!r}) should return an nn.Module, got "
               f"{type(model).__name__}")
        expect(any(p.requires_grad for p in model.parameters()), f"the {name} has no trainable parameters")
        expect(not model.training, f"the {name} is still in train mode: call model.eval() before returning it")


def test_predict_is_the_argmax_of_the_logits(impl, cnn, mlp, digits):
    """predict(model, x) equals the argmax of the module's own logits model(x / 16) on float32 (N, 64)
    input, and calling it twice gives the same labels (no dropout at inference)."""
    _, x_test, _, _ = digits
    x = x_test[:50]
    for name, model in (("cnn", cnn), ("mlp", mlp)):
        device = next(model.parameters()).device
        with torch.no_grad():
            logits = model(torch.from_numpy((x / 16.0).astype(np.float32)).to(device)).cpu().numpy()
        expect(logits.shape == (50, 10), f"the {name} should map (50, 64) scaled pixels to (50, 10) logits, got "
               f"{logits.shape}")
        first = np.asarray(impl.predict(model, x))
        assert_close(first, logits.argmax(axis=1), rtol=0, atol=0, what=f"predict({name}, x)")
        assert_close(impl.predict(model, x), first, rtol=0, atol=0, what=f"predict({name}, x), second call")


def test_checkpoint_round_trip(impl, cnn, digits, tmp_path):
    """save_model writes the state_dict (torch.load(path, weights_only=True) reads back the same parameter
    names), and load_model(path, "cnn") rebuilds a model that predicts exactly the same labels."""
    _, x_test, _, _ = digits
    path = tmp_path / "digits_cnn.pt"
    impl.save_model(cnn, path)
    expect(path.is_file(), "save_model did not write the file")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    expect(isinstance(saved, dict) and set(saved) == set(cnn.state_dict()),
           "the file should hold the model's state_dict (a dict of its parameter names to tensors)")
    restored = impl.load_model(path, "cnn")
    expect(isinstance(restored, nn.Module) and not restored.training, "load_model should return a module in eval mode")
    original = {name: tensor.detach().cpu() for name, tensor in cnn.state_dict().items()}
    for name, tensor in restored.state_dict().items():
        assert_close(tensor.detach().cpu().numpy(), original[name].numpy(), rtol=0, atol=0,
                     what=f"reloaded parameter {name}")
    on_cpu = copy.deepcopy(cnn).to("cpu")  # the reloaded model lives on the CPU; compare like with like
    assert_close(impl.predict(restored.to("cpu"), x_test), impl.predict(on_cpu, x_test), rtol=0, atol=0,
                 what="predictions of the reloaded model")


def test_training_is_reproducible(impl, digits):
    """train_model with the same seed and the same initial weights gives the same history and the same weights
    on the CPU: the loader's generator fixes the batch order and the seed fixes dropout. It returns one mean
    loss and one accuracy per epoch and leaves the model in eval mode."""
    x_train, _, y_train, _ = digits
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = impl.make_model("mlp")
        history = impl.train_model(model, x_train[:256], y_train[:256], epochs=2, seed=3, device="cpu",
                                   progress=False)
        runs.append((model, history))
    (first, h1), (second, h2) = runs
    expect(set(h1) >= {"loss", "accuracy"} and len(h1["loss"]) == 2 and len(h1["accuracy"]) == 2,
           f"train_model should return {{'loss': [2 values], 'accuracy': [2 values]}}, got {h1!r}")
    assert_close(h2["loss"], h1["loss"], rtol=0, atol=0, what="loss history of the second run")
    for (name, p1), p2 in zip(first.state_dict().items(), second.state_dict().values(), strict=True):
        assert_close(p2.numpy(), p1.numpy(), rtol=0, atol=0, what=f"parameter {name} after the second run")
    expect(not first.training, "train_model should leave the model in eval mode")
    expect(all(0.0 <= a <= 1.0 for a in h1["accuracy"]), f"accuracies should lie in [0, 1], got {h1['accuracy']}")


def test_loader_batches(impl, digits):
    """make_loader yields float32 pixel batches scaled to [0, 1] of shape (batch, 64) and int64 labels; every
    row appears once per epoch; the same seed gives the same order, and shuffle=False keeps the original one."""
    x_train, _, y_train, _ = digits
    x, y = x_train[:100], y_train[:100]
    loader = impl.make_loader(x, y, batch_size=32, shuffle=True, seed=1)
    batches = list(loader)
    expect([len(b[1]) for b in batches] == [32, 32, 32, 4], f"batch sizes should be [32, 32, 32, 4], got "
           f"{[len(b[1]) for b in batches]}")
    xb, yb = batches[0]
    expect(xb.dtype == torch.float32 and yb.dtype == torch.int64,
           f"batches should be float32 pixels and int64 labels, got {xb.dtype} and {yb.dtype}")
    expect(tuple(xb.shape) == (32, 64), f"a pixel batch should have shape (32, 64), got {tuple(xb.shape)}")
    seen = torch.cat([b[0] for b in batches]).numpy()
    order = np.lexsort(seen.T)
    assert_close(seen[order], (x / 16.0)[np.lexsort((x / 16.0).T)], rtol=1e-6, atol=1e-7,
                 what="all rows of one epoch, scaled by 1/16")
    again = torch.cat([b[1] for b in impl.make_loader(x, y, batch_size=32, shuffle=True, seed=1)]).numpy()
    assert_close(again, torch.cat([b[1] for b in batches]).numpy(), rtol=0, atol=0, what="labels, same seed")
    ordered = torch.cat([b[1] for b in impl.make_loader(x, y, batch_size=32, shuffle=False)]).numpy()
    assert_close(ordered, y, rtol=0, atol=0, what="labels with shuffle=False")


def test_pick_device(impl, monkeypatch):
    """pick_device returns a torch.device: "cuda" when torch says a CUDA GPU is available (faked here), and
    on this machine the device torch's own checks point to."""
    device = impl.pick_device()
    expect(isinstance(device, torch.device), f"pick_device should return a torch.device, got {device!r}")
    expected = "cuda" if torch.cuda.is_available() else (
        "mps" if torch.backends.mps.is_available() else "cpu")
    expect(device.type == expected, f"pick_device chose {device.type!r} here, expected {expected!r}")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    expect(impl.pick_device().type == "cuda", "with CUDA available, pick_device should choose 'cuda'")


def test_plot_history(impl, tmp_path):
    """plot_history draws the loss and the accuracy per epoch on a matplotlib Figure (labelled axes, the
    history's values as line data) and writes it as a PNG file."""
    history = {"loss": [1.5, 0.6, 0.3, 0.2], "accuracy": [0.55, 0.85, 0.93, 0.96]}
    path = tmp_path / "history.png"
    fig = impl.plot_history(history, path)
    expect(isinstance(fig, Figure), f"plot_history should return a matplotlib Figure, got {type(fig).__name__}")
    expect(path.is_file() and path.read_bytes()[:8] == PNG_MAGIC, "the plot was not written as a PNG file")
    lines = [list(map(float, line.get_ydata())) for ax in fig.axes for line in ax.get_lines()]
    for key in ("loss", "accuracy"):
        expect(history[key] in lines, f"no line of the figure shows the {key} values {history[key]}")
    expect(all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes if ax.get_lines()),
           "every panel needs axis labels")
    assert_raises_value_error(impl.plot_history, {"loss": [], "accuracy": []}, why="the history is empty")


def test_bad_input_raises_value_error(impl, digits):
    """ValueError for pixels not shaped (n, 64), labels that do not match the rows or lie outside 0..9, and an
    unknown architecture name."""
    x_train, _, y_train, _ = digits
    assert_raises_value_error(impl.make_loader, x_train[:, :63], y_train, why="digits have 64 pixels")
    assert_raises_value_error(impl.make_loader, x_train, y_train[:-1], why="one label per row")
    assert_raises_value_error(impl.make_loader, x_train[:5], np.array([0, 1, 2, 3, 10]), why="labels are 0..9")
    assert_raises_value_error(impl.make_model, "rnn", why="arch is 'cnn' or 'mlp'")
    model = impl.make_model("mlp")
    assert_raises_value_error(impl.predict, model, x_train[:3, :60], why="digits have 64 pixels")
