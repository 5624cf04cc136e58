"""sympy expressions as fast numpy functions: how the calculus exercises' tests evaluate exact derivatives.

The tests differentiate random expressions with `sympy.diff` (the oracle) and evaluate the results at
many points. `numpy_function` does the evaluating part the same way for every exercise:

- one `sympy.lambdify` call for a whole list or matrix of expressions (a gradient, a Hessian), without
  the docstring lambdify would otherwise print, and with the numpy module object as its namespace. The
  generated code is the same as with modules="numpy", but that string makes lambdify run
  `from numpy import *`, which loads numpy.f2py, numpy.testing and numpy.ma (~0.04 s in a fresh
  grading process); leaving modules out also imports scipy.special (~0.15 s);
- results are float64 arrays of the arguments' broadcast shape, also where an entry is a constant
  (lambdify returns the plain number 0 for the derivative of a line);
- an exception inside the generated code loses lambdify's frames, which have no source file to show.

Where each derivative is evaluated on its own many times, lambdify each one separately: a batch
evaluates every entry at every call.

    x, y = sympy.symbols("x y")
    grad = numpy_function([x, y], [2 * x * y, x**2])    # ∇(x² y)
    grad(1.0, 3.0)                                      # array([6., 1.])
    numpy_function(x, sympy.Integer(2))(np.zeros(3))    # array([2., 2., 2.])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy


def numpy_function(
    args: sympy.Symbol | Sequence[sympy.Symbol], expr: sympy.Expr | Sequence[sympy.Expr] | sympy.MatrixBase
) -> Callable[..., np.ndarray]:
    """`expr` (one expression, a list of them or a matrix) as a numpy function of `args`, lambdified once.

    The function returns a float64 array of shape expr_shape + the broadcast shape of its arguments:
    () for one expression, (k,) for a list of k, (m, n) for an m x n matrix.
    """
    if isinstance(expr, sympy.MatrixBase):
        out_shape, entries = expr.shape, list(expr)
    elif isinstance(expr, list | tuple):
        out_shape, entries = (len(expr),), list(expr)
    else:
        out_shape, entries = (), [expr]
    fn = sympy.lambdify(args, entries, [np], docstring_limit=0)

    def evaluate(*values: object) -> np.ndarray:
        try:
            results = fn(*values)
        except Exception as exc:  # drop the frames of lambdify's generated code, which has no source file
            raise exc.with_traceback(None) from None
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        out = np.empty((len(entries), *shape))
        for i, value in enumerate(results):
            out[i] = value  # broadcasts a constant entry to the arguments' shape
        return out.reshape((*out_shape, *shape))

    return evaluate
