"""Checks for `scalar-autograd`, against torch.autograd in float64.

Random expression trees over three variables are drawn by hypothesis and evaluated twice: once with your
`Value` and once with torch tensors (the same Python code drives both, through +, -, *, /, ** and the
methods .exp() .log() .tanh() .relu() .sigmoid()). The result and d(result)/d(variable) must agree to a
relative 1e-10 (plus 1e-10 times the size of the numbers involved, for sums that cancel): both sides do
the same float64 arithmetic, only the order of a few additions can differ. While your code runs,
torch.autograd is switched off.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.strategies import finite_floats

UNARY = ("neg", "exp", "log", "tanh", "relu", "sigmoid", "square", "cube", "pow")
BINARY = ("add", "sub", "mul", "div")
WITH_CONSTANT = ("add_c", "c_add", "sub_c", "c_sub", "mul_c", "c_mul", "div_c", "c_div")
EXPONENTS = (0.5, -1.0, 1.5, -0.5, 2.5)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    constants = finite_floats(-3.0, 3.0).filter(lambda c: abs(c) > 0.25)
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children, st.sampled_from(EXPONENTS)),
        st.tuples(st.sampled_from(BINARY), children, children),
        st.tuples(st.sampled_from(WITH_CONSTANT), children, constants),
    )


EXPRESSIONS = st.recursive(st.tuples(st.just("var"), st.integers(0, 2)), _extend, max_leaves=10)
POINTS = st.lists(finite_floats(-2.0, 2.0), min_size=3, max_size=3)


def evaluate(tree: tuple, xs: list):
    """Evaluate an expression tree on Values or on torch tensors: the same operators drive both.

    Divisions and logs are built so they stay defined: a / (b*b + 0.5), log(a*a + 1), (a*a + 1) ** p.
    """
    kind = tree[0]
    if kind == "var":
        return xs[tree[1]]
    a = evaluate(tree[1], xs)
    if kind in UNARY:
        p = tree[2]
        return {"neg": lambda: -a, "exp": lambda: a.exp(), "log": lambda: (a * a + 1).log(),
                "tanh": lambda: a.tanh(), "relu": lambda: a.relu(), "sigmoid": lambda: a.sigmoid(),
                "square": lambda: a**2, "cube": lambda: a**3, "pow": lambda: (a * a + 1) ** p}[kind]()
    if kind in BINARY:
        b = evaluate(tree[2], xs)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div": lambda: a / (b * b + 0.5)}[kind]()
    c = tree[2]
    return {"add_c": lambda: a + c, "c_add": lambda: c + a, "sub_c": lambda: a - c, "c_sub": lambda: c - a,
            "mul_c": lambda: a * c, "c_mul": lambda: c * a, "div_c": lambda: a / c,
            "c_div": lambda: c / (a * a + 0.5)}[kind]()


def show(tree: tuple) -> str:
    """The expression as readable text, for failure messages."""
    kind = tree[0]
    if kind == "var":
        return "xyz"[tree[1]]
    a = show(tree[1])
    if kind in UNARY:
        p = tree[2]
        return {"neg": f"-({a})", "exp": f"exp({a})", "log": f"log({a}*{a} + 1)", "tanh": f"tanh({a})",
                "relu": f"relu({a})", "sigmoid": f"sigmoid({a})", "square": f"({a})**2", "cube": f"({a})**3",
                "pow": f"(({a})*({a}) + 1)**{p}"}[kind]
    if kind in BINARY:
        b = show(tree[2])
        return {"add": f"({a} + {b})", "sub": f"({a} - {b})", "mul": f"({a} * {b})",
                "div": f"({a} / (({b})*({b}) + 0.5))"}[kind]
    c = tree[2]
    return {"add_c": f"({a} + {c})", "c_add": f"({c} + {a})", "sub_c": f"({a} - {c})", "c_sub": f"({c} - {a})",
            "mul_c": f"({a} * {c})", "c_mul": f"({c} * {a})", "div_c": f"({a} / {c})",
            "c_div": f"({c} / (({a})*({a}) + 0.5))"}[kind]


def torch_answer(tree: tuple, point: list[float]) -> tuple[float, np.ndarray]:
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    out = evaluate(tree, xs)
    grads = torch.autograd.grad(out, xs, allow_unused=True)
    return out.item(), np.array([0.0 if g is None else g.item() for g in grads])


def learner_answer(impl, tree: tuple, point: list[float]) -> tuple[object, list]:
    with forbid(impl, "torch.autograd.backward", "torch.autograd.grad"):
        xs = [impl.Value(v) for v in point]
        out = evaluate(tree, xs)
        out.backward()
    return out, xs


def scale_of(*numbers: object) -> float:
    return max(1.0, *(float(np.max(np.abs(n))) for n in numbers))


@given(EXPRESSIONS, POINTS)
def test_forward_values_match_torch(impl, tree, point):
    """Building an expression from Values computes the same number as torch (relative 1e-10)."""
    value, grads = torch_answer(tree, point)
    assume(math.isfinite(value) and abs(value) < 1e6 and np.all(np.abs(grads) < 1e8))
    out, _ = learner_answer(impl, tree, point)
    assert_close(out.data, value, rtol=1e-10, atol=1e-10 * scale_of(value),
                 what=f"{show(tree)} at x, y, z = {point}")


@given(EXPRESSIONS, POINTS)
def test_gradients_match_torch(impl, tree, point):
    """After out.backward(), each variable's .grad equals torch's d(out)/d(variable) (relative 1e-10).

    A variable that appears several times collects one contribution per use; one that does not appear has
    gradient 0."""
    value, grads = torch_answer(tree, point)
    assume(math.isfinite(value) and abs(value) < 1e6 and np.all(np.abs(grads) < 1e8))
    _, xs = learner_answer(impl, tree, point)
    assert_close([x.grad for x in xs], grads, rtol=1e-10, atol=1e-10 * scale_of(grads, value),
                 what=f"gradients [dx, dy, dz] of {show(tree)} at x, y, z = {point}")


def test_new_value_holds_a_float_and_zero_grad(impl):
    """Value(3) stores data 3.0 as a float and starts with grad 0.0."""
    v = impl.Value(3)
    expect(isinstance(v.data, float), f"Value(3).data should be the float 3.0, got {v.data!r}")
    expect(v.grad == 0.0, f"a new Value should have grad 0.0, got {v.grad!r}")


def test_x_times_x_has_derivative_2x(impl):
    """d/dx (x * x) = 2x: both operands of * are the same node, so both contributions must be added."""
    x = impl.Value(3.0)
    y = x * x
    y.backward()
    assert_close(y.data, 9.0, what="(x * x).data at x = 3")
    assert_close(x.grad, 6.0, what="d(x * x)/dx at x = 3 (use += in backward, not =)")


def test_node_used_on_several_paths_accumulates(impl):
    """A node feeding several later nodes sums the gradients from every path: for a = x*y, f = a + a*x + a
    at x = 2, y = -3, df/dx = 2y + 2xy and df/dy = 2x + x^2."""
    x, y = impl.Value(2.0), impl.Value(-3.0)
    a = x * y
    f = a + a * x + a
    f.backward()
    assert_close([x.grad, y.grad], [2 * -3.0 + 2 * 2.0 * -3.0, 2 * 2.0 + 2.0**2], what="[df/dx, df/dy]")


def test_backward_twice_accumulates_like_torch(impl):
    """Calling backward() twice adds the gradient twice to the inputs (torch does the same with
    retain_graph=True) — while intermediate nodes must not double-count: z = tanh(w*x + 1)**2."""
    with forbid(impl, "torch.autograd.backward", "torch.autograd.grad"):
        x, w = impl.Value(0.7), impl.Value(-1.3)
        z = (w * x + 1).tanh() ** 2
        z.backward()
        z.backward()
    tx, tw = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.7, -1.3))
    tz = (tw * tx + 1).tanh() ** 2
    tz.backward(retain_graph=True)
    tz.backward()
    assert_close([x.grad, w.grad], [tx.grad.item(), tw.grad.item()], rtol=1e-10,
                 what="[dz/dx, dz/dw] after two backward() calls (reset the gradients of intermediate nodes "
                      "at the start of backward, and only add into the inputs)")


def test_numbers_work_on_either_side(impl):
    """Plain numbers mix with Values on either side: 2 + x, x - 1, 1 - x, 3 * x, x / 4, 6 / x, x ** -2."""
    cases = [("2 + x", lambda x: 2 + x), ("x - 1", lambda x: x - 1), ("1 - x", lambda x: 1 - x),
             ("3 * x", lambda x: 3 * x), ("x / 4", lambda x: x / 4), ("6 / x", lambda x: 6 / x),
             ("x ** -2", lambda x: x**-2), ("-x", lambda x: -x)]
    for text, f in cases:
        x = impl.Value(1.5)
        y = f(x)
        y.backward()
        tx = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        ty = f(tx)
        ty.backward()
        assert_close([y.data, x.grad], [ty.item(), tx.grad.item()], rtol=1e-12, what=f"[value, gradient] of {text}")


def test_relu_derivative_at_zero_is_zero(impl):
    """relu(x) at x = 0 is 0 with derivative 0 (the convention torch uses), and 1 for x > 0."""
    for point, slope in ((0.0, 0.0), (-2.0, 0.0), (0.5, 1.0)):
        x = impl.Value(point)
        x.relu().backward()
        assert_close(x.grad, slope, what=f"d relu(x)/dx at x = {point}")


def test_sigmoid_of_large_numbers_does_not_overflow(impl):
    """sigmoid(+-1000) returns 1 and 0 with derivative 0 — math.exp(1000) would raise OverflowError, so
    compute it from exp(-|x|)."""
    for point in (1000.0, -1000.0, 40.0, -40.0):
        x = impl.Value(point)
        y = x.sigmoid()
        y.backward()
        t = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        torch.sigmoid(t).backward()
        assert_close([y.data, x.grad], [torch.sigmoid(t).item(), t.grad.item()], rtol=1e-12, atol=1e-300,
                     what=f"[sigmoid(x), derivative] at x = {point}")


def test_log_of_non_positive_raises_value_error(impl):
    """Value(0).log() and Value(-1).log() raise ValueError: the logarithm is defined for x > 0 only."""
    assert_raises_value_error(lambda: impl.Value(0.0).log(), why="log(0) is undefined")
    assert_raises_value_error(lambda: impl.Value(-1.0).log(), why="log of a negative number is undefined")


def test_deep_chain_of_five_thousand_steps(impl):
    """A chain of 5000 steps (a loop updating v = v * 1.0001 + 0.001, 10 000 nodes) back-propagates without a
    RecursionError: build the topological order with an explicit stack, not a recursive function."""
    x = impl.Value(1.0)
    v = x
    for _ in range(5000):
        v = v * 1.0001 + 0.001
    v.backward()
    assert_close(x.grad, 1.0001**5000, rtol=1e-10, what="d v / d x after 5000 steps (= 1.0001 ** 5000)")


def test_does_not_import_torch(impl):
    """Your Value is built from plain Python floats and math: it must not import torch."""
    assert_not_imported(impl, "torch")
