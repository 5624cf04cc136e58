"""Checks for `positional-encoding`: the sinusoidal table against its closed form (numpy), the learned table
against plain addition and autograd, and RoPE against the complex-number formulation (numpy complex
multiplication and torch.view_as_complex), plus the relative-position property of RoPE checked numerically.

Tolerances: float64 to 1e-10 (1e-12 for the sinusoidal table, a single sin or cos per entry) and float32 to
1e-5, relative to the largest entry.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

torch.set_num_threads(1)
RTOL = {torch.float64: 1e-10, torch.float32: 1e-5}


def close(got, want, what, rtol=None):
    """`got` (a tensor) within tolerance of `want` (numpy), relative to the largest entry of `want`."""
    expect(isinstance(got, torch.Tensor), f"{what} should be a torch.Tensor, got {type(got).__name__}")
    rtol = rtol if rtol is not None else RTOL[got.dtype]
    want = np.asarray(want)
    scale = float(np.abs(want).max()) if want.size else 0.0
    assert_close(got.detach().double().numpy(), want, rtol=rtol, atol=rtol * max(scale, 1.0), what=what)


def closed_form_sinusoidal(num_positions, dim, base):
    """PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(p / base^(2i/d)), written with numpy."""
    table = np.zeros((num_positions, dim))
    for i in range(dim // 2):
        angle = np.arange(num_positions) / base ** (2 * i / dim)
        table[:, 2 * i], table[:, 2 * i + 1] = np.sin(angle), np.cos(angle)
    return table


def complex_rope(x, positions, base):
    """RoPE as complex multiplication: z_i = x_2i + j x_2i+1 is multiplied by exp(j * position * w_i)."""
    x = np.asarray(x, dtype=np.float64)
    d = x.shape[-1]
    z = x[..., 0::2] + 1j * x[..., 1::2]
    w = base ** (-np.arange(0, d, 2) / d)
    rotated = z * np.exp(1j * np.asarray(positions, dtype=np.float64)[:, None] * w)
    return np.stack([rotated.real, rotated.imag], axis=-1).reshape(x.shape)


even_dims = st.integers(1, 8).map(lambda h: 2 * h)
dtypes = st.sampled_from([torch.float64, torch.float32])


@given(st.integers(0, 60), even_dims, st.sampled_from([10000.0, 100.0, 2.0]))
def test_sinusoidal_matches_the_closed_form(impl, num_positions, dim, base):
    """sinusoidal_encoding(T, d, base, float64) equals sin/cos of p / base^(2i/d) interleaved, to 1e-12."""
    got = impl.sinusoidal_encoding(num_positions, dim, base, dtype=torch.float64)
    expect(tuple(got.shape) == (num_positions, dim),
           f"shape should be ({num_positions}, {dim}), got {tuple(got.shape)}")
    close(got, closed_form_sinusoidal(num_positions, dim, base), "sinusoidal_encoding", rtol=1e-12)


def test_sinusoidal_worked_values_and_default_dtype(impl):
    """Position 0 is (0, 1, 0, 1, ...); position 1 of a 4-wide table is (sin 1, cos 1, sin 0.01, cos 0.01);
    the default dtype is float32."""
    table = impl.sinusoidal_encoding(2, 4)
    expect(table.dtype == torch.float32, f"the default dtype should be torch.float32, got {table.dtype}")
    close(table, [[0, 1, 0, 1], [np.sin(1), np.cos(1), np.sin(0.01), np.cos(0.01)]], "sinusoidal_encoding(2, 4)")


@given(st.integers(0, 40), st.integers(0, 40), even_dims)
def test_sinusoidal_shift_is_a_rotation(impl, p, s, dim):
    """PE[p + s] is PE[p] with each (sin, cos) pair rotated by an angle that depends on s only: the property
    that lets attention pick up relative offsets."""
    table = impl.sinusoidal_encoding(p + s + 1, dim, dtype=torch.float64).numpy()
    w = 10000.0 ** (-np.arange(0, dim, 2) / dim)
    sin_p, cos_p = table[p, 0::2], table[p, 1::2]
    want = np.stack([sin_p * np.cos(s * w) + cos_p * np.sin(s * w), cos_p * np.cos(s * w) - sin_p * np.sin(s * w)],
                    axis=-1).reshape(dim)
    close(torch.from_numpy(table[p + s]), want, f"PE[{p} + {s}] from rotating PE[{p}]", rtol=1e-10)


@settings(max_examples=15)
@given(st.integers(1, 12), st.integers(1, 6), st.integers(1, 12), st.integers(0, 2**32 - 1), dtypes)
def test_learned_encoding_adds_its_table(impl, max_len, dim, length, seed, dtype):
    """LearnedPositionalEncoding(max_len, d)(x) equals x + P[:T] for x (B, T, d) and (T, d), where P is the table
    copied into .positions.weight; the gradient reaching P is the sum over the batch for rows < T, 0 beyond."""
    length = min(length, max_len)
    rng = np.random.default_rng(seed)
    module = impl.LearnedPositionalEncoding(max_len, dim).to(dtype)
    expect(isinstance(getattr(module, "positions", None), torch.nn.Embedding),
           "keep the table in self.positions = nn.Embedding(max_len, dim)")
    table = rng.standard_normal((max_len, dim))
    with torch.no_grad():
        module.positions.weight.copy_(torch.tensor(table, dtype=dtype))
    x = rng.standard_normal((3, length, dim))
    close(module(torch.tensor(x, dtype=dtype)), x + table[:length], "learned encoding of a batch (B, T, d)")
    close(module(torch.tensor(x[0], dtype=dtype)), x[0] + table[:length], "learned encoding of one sequence (T, d)")
    grad = rng.standard_normal(x.shape)
    module.positions.weight.grad = None
    module(torch.tensor(x, dtype=dtype)).backward(torch.tensor(grad, dtype=dtype))
    want = np.zeros((max_len, dim))
    want[:length] = grad.sum(axis=0)
    close(module.positions.weight.grad, want, "gradient reaching the position table")


def test_learned_encoding_parameters_and_init(impl):
    """The module's only parameter is the (max_len, d) table, drawn N(0, 0.02^2): over 4096 entries its sample
    standard deviation lies in [0.015, 0.025] (more than 20 standard errors from either edge)."""
    module = impl.LearnedPositionalEncoding(64, 64)
    shapes = [tuple(p.shape) for p in module.parameters()]
    expect(shapes == [(64, 64)], f"the only parameter should be the (64, 64) table, got shapes {shapes}")
    std = float(module.positions.weight.detach().std())
    expect(0.015 <= std <= 0.025, f"the table should start N(0, 0.02^2), its standard deviation is {std:.4f}")


@given(st.integers(0, 2**32 - 1), st.integers(1, 10), even_dims, dtypes, st.sampled_from([10000.0, 500.0]))
def test_rope_matches_complex_multiplication(impl, seed, length, dim, dtype, base):
    """apply_rope(x) for x (B, H, T, d) equals multiplying each adjacent pair, read as a complex number, by
    exp(j t w_i) (numpy complex128), and torch.view_as_complex gives the same."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 3, length, dim))
    got = impl.apply_rope(torch.tensor(x, dtype=dtype), base=base)
    expect(got.dtype == dtype and tuple(got.shape) == x.shape, f"apply_rope should keep shape {x.shape} and dtype "
           f"{dtype}, got {tuple(got.shape)} {got.dtype}")
    close(got, complex_rope(x, np.arange(length), base), "apply_rope(x) vs complex multiplication")
    speeds = base ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    angles = torch.arange(length, dtype=torch.float64)[:, None] * speeds
    z = torch.view_as_complex(torch.tensor(x).reshape(2, 3, length, dim // 2, 2).contiguous())
    close(got, torch.view_as_real(z * torch.polar(torch.ones_like(angles), angles)).reshape(x.shape).numpy(),
          "apply_rope(x) vs torch.view_as_complex")


@given(st.integers(0, 2**32 - 1), st.integers(1, 8), even_dims)
def test_rope_with_explicit_positions(impl, seed, length, dim):
    """With positions given (say a KV cache that starts at offset 37, or arbitrary floats) each row t is
    rotated by positions[t] w_i."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((length, dim))
    for positions in (np.arange(length) + 37, rng.uniform(0, 100, size=length)):
        got = impl.apply_rope(torch.tensor(x), torch.tensor(positions))
        close(got, complex_rope(x, positions, 10000.0), f"apply_rope(x, positions={np.round(positions, 2)})")


@given(st.integers(0, 2**32 - 1), even_dims, st.integers(0, 50), st.integers(0, 50), st.integers(-30, 30))
def test_rope_scores_depend_on_offset_only(impl, seed, dim, m, n, shift):
    """<rope(q) at position m, rope(k) at position n> is unchanged when both positions move by the same shift:
    RoPE attention scores see m - n only. Norms are preserved and position 0 changes nothing."""
    rng = np.random.default_rng(seed)
    q, k = torch.tensor(rng.standard_normal((1, dim))), torch.tensor(rng.standard_normal((1, dim)))

    def score(pm, pn):
        rotated_q = impl.apply_rope(q, torch.tensor([float(pm)]))
        return float((rotated_q * impl.apply_rope(k, torch.tensor([float(pn)]))).sum())

    m2, n2 = m + shift + 30, n + shift + 30
    assert_close(score(m2, n2), score(m, n), rtol=1e-9, atol=1e-9,
                 what=f"q.k at positions ({m2}, {n2}) vs ({m}, {n})")
    rotated = impl.apply_rope(q, torch.tensor([float(m)]))
    assert_close(float(rotated.norm()), float(q.norm()), rtol=1e-12, what="the norm after rotation")
    close(impl.apply_rope(q, torch.tensor([0.0])), q.numpy(), "apply_rope at position 0 (the identity)")


def test_rejects_bad_input(impl):
    """An odd or too small dimension, a negative length, positions of the wrong shape, and a sequence longer
    than max_len raise ValueError."""
    assert_raises_value_error(impl.sinusoidal_encoding, 4, 5, why="sin/cos pairs need an even dimension")
    assert_raises_value_error(impl.sinusoidal_encoding, -1, 4, why="a table cannot have -1 rows")
    assert_raises_value_error(impl.apply_rope, torch.zeros(3, 5), why="RoPE rotates pairs: d must be even")
    assert_raises_value_error(impl.apply_rope, torch.zeros(3, 4), torch.arange(4), why="positions must have shape (T,)")
    module = impl.LearnedPositionalEncoding(4, 2)
    assert_raises_value_error(module, torch.zeros(5, 2), why="the table has no row for position 4")
    assert_raises_value_error(module, torch.zeros(3, 3), why="the last axis must be dim = 2")
