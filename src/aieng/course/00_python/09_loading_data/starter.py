"""Loading text, CSV and images — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check loading-data`.
Useful: open(..., encoding=...), the csv module, numpy, and pillow (`from PIL import Image`) or
matplotlib.image.imread for images.
"""

from __future__ import annotations

import os

import numpy as np
from numpy.typing import ArrayLike


def read_tokens(path: str | os.PathLike[str]) -> list[list[str]]:
    """Return the tokens of every non-blank line of the UTF-8 text file at `path`.

    Tokens of a line: line.lower().split(). Lines without a token are skipped. Line endings may be
    "\\n" or "\\r\\n", and the file may start with a UTF-8 byte-order mark, which is not text.
    """
    raise NotImplementedError


def read_csv_array(path: str | os.PathLike[str]) -> tuple[list[str], np.ndarray]:
    """Return (header, data) for the comma-separated file at `path`.

    header: the column names of the first line, a list of str.
    data: float64 array of shape (n_rows, n_columns), always 2-D (also for 1 row or 0 rows).
    A field that is empty or "NA" is missing: NaN. Blank lines are skipped.
    Raise ValueError for an empty file, a field that is not a number, or a row whose number of
    fields differs from the header's.
    """
    raise NotImplementedError


def load_image(path: str | os.PathLike[str]) -> np.ndarray:
    """Return the 8-bit image at `path` (PNG, JPEG, ...) as a float64 array of shape (height, width, 3).

    Values in [0, 1] (pixel / 255). A grayscale image is repeated in all 3 channels; an alpha channel
    is dropped.
    """
    raise NotImplementedError


def to_grayscale(image: ArrayLike) -> np.ndarray:
    """Return 0.299 R + 0.587 G + 0.114 B for an RGB image of shape (height, width, 3): shape (height, width).

    Raise ValueError if the image does not have shape (height, width, 3).
    """
    raise NotImplementedError
