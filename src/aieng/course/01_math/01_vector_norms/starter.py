"""Vector norms — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check vector-norms`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def norm(x: ArrayLike, p: float = 2) -> float:
    """Return the p-norm of the 1-D vector `x` (shape (n,)) as a float.

    ||x||_p = (sum_i |x_i|^p) ** (1/p) for p > 0, and max_i |x_i| for p = np.inf.
    - The empty vector has norm 0.0.
    - Raise ValueError if `x` is not 1-D or if p <= 0.
    - Must not overflow for entries as large as 1e200.
    """
    raise NotImplementedError


def normalize(x: ArrayLike, p: float = 2) -> np.ndarray:
    """Return `x` scaled to p-norm 1, shape (n,). Raise ValueError for the zero vector."""
    raise NotImplementedError
