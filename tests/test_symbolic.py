"""`aieng.grader.symbolic.numpy_function`: sympy expressions as numpy functions for the tests' oracles."""

from __future__ import annotations

import traceback

import numpy as np
import pytest
import sympy

from aieng.grader.symbolic import numpy_function

X, Y = sympy.symbols("x y")


def test_shapes_follow_the_expression_and_the_arguments() -> None:
    assert numpy_function(X, sympy.sin(X))(0.5).shape == ()
    assert np.allclose(numpy_function(X, sympy.sin(X))(np.array([0.0, 0.5])), np.sin([0.0, 0.5]))
    grad = numpy_function([X, Y], [2 * X * Y, X**2])
    assert np.array_equal(grad(1.0, 3.0), [6.0, 1.0])
    hess = numpy_function([X, Y], sympy.hessian(X**2 * Y, [X, Y]))
    assert np.array_equal(hess(1.0, 3.0), [[6.0, 2.0], [2.0, 0.0]])
    assert hess(np.zeros(4), np.ones(4)).shape == (2, 2, 4)


def test_constants_are_broadcast_to_float_arrays() -> None:
    line = sympy.diff(3 * X + 1, X, 2)  # the constant 0
    got = numpy_function(X, line)(np.linspace(0.0, 1.0, 5))
    assert got.dtype == np.float64 and np.array_equal(got, np.zeros(5))
    got = numpy_function(X, [X, sympy.Integer(2)])(np.array([1.0, 4.0]))
    assert np.array_equal(got, [[1.0, 4.0], [2.0, 2.0]])


def test_errors_leave_out_the_generated_code() -> None:
    f = numpy_function(X, sympy.log(X))
    with pytest.raises(TypeError) as info:
        f("not a number")
    frames = traceback.extract_tb(info.value.__traceback__)
    assert not any("lambdifygenerated" in frame.filename for frame in frames)
