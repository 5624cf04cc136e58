"""Loading data: text into token lists, CSV into a float array, images into arrays of pixels.

Every dataset starts as bytes in a file, and every loader makes the same three decisions: how bytes
become text (the encoding: UTF-8, and whether a byte-order mark is part of the text), how text becomes
records (lines, fields, a header), and how fields become numbers (which strings mean "missing",
what happens to a field that is not a number). Stating them keeps a pipeline from silently reading
"NA" as a string, "abc" as NaN or a one-row file as a 1-D array.

Images: a PNG or JPEG decodes to a grid of pixels, height x width x channels, usually 8 bits per
channel (0..255). Models want floats in [0, 1] and a fixed number of channels, so grayscale images are
repeated to three channels and the alpha (transparency) channel is dropped. Grayscale from RGB uses the
ITU-R BT.601 luma weights 0.299, 0.587, 0.114: the eye is most sensitive to green, least to blue.

Left out: streaming huge files, other encodings, quoted CSV dialects beyond the csv module's default,
16-bit and palette images, EXIF orientation.
"""

from __future__ import annotations

import csv
import math
import os

import numpy as np
from numpy.typing import ArrayLike

MISSING = ("", "NA")
LUMA_601 = np.array([0.299, 0.587, 0.114])


def read_tokens(path: str | os.PathLike[str]) -> list[list[str]]:
    """The lowercased whitespace tokens of every non-blank line of a UTF-8 text file.

    ``utf-8-sig`` decodes UTF-8 and drops a byte-order mark at the start (Windows editors write one);
    text mode turns "\\r\\n" line endings into "\\n". Lines with no token are skipped. O(file size).

    For a file holding "Hello world\\n\\nBye\\n": [['hello', 'world'], ['bye']].
    """
    with open(path, encoding="utf-8-sig") as file:
        return [tokens for tokens in (line.lower().split() for line in file) if tokens]


def _number(field: str, line: int, column: str) -> float:
    """A CSV field as a float: NaN for a missing marker, ValueError naming the place otherwise."""
    field = field.strip()
    if field in MISSING:
        return math.nan
    try:
        return float(field)
    except ValueError:
        raise ValueError(f"line {line}, column {column!r}: {field!r} is not a number") from None


def read_csv_array(path: str | os.PathLike[str]) -> tuple[list[str], np.ndarray]:
    """The header and the numbers of a CSV file: (column names, float64 array of shape (n_rows, n_columns)).

    An empty field or "NA" becomes NaN; any other field that is not a number raises ValueError (where
    ``np.genfromtxt`` would quietly make it NaN). The result is always 2-D, even for one row or none.
    Blank lines are skipped; a row with the wrong number of fields raises ValueError. O(file size).

    For a file holding "x,y\\n1,\\n": (['x', 'y'], array([[ 1., nan]])).
    """
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path} is empty: a CSV file needs a header line")
        rows = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise ValueError(f"line {reader.line_num} has {len(row)} fields, the header has {len(header)}")
            rows.append([_number(field, reader.line_num, name) for field, name in zip(row, header, strict=True)])
    return header, np.array(rows, dtype=np.float64).reshape(len(rows), len(header))


def load_image(path: str | os.PathLike[str]) -> np.ndarray:
    """An 8-bit image file (PNG, JPEG, ...) as float64 RGB in [0, 1]: shape (height, width, 3).

    Pillow decodes the file; ``convert("RGB")`` repeats a gray channel three times and drops alpha;
    dividing by 255 maps 0..255 to [0, 1]. (``matplotlib.image.imread`` gives floats for PNG but
    uint8 for JPEG, and 2-D arrays for grayscale: check what you get.) O(pixels).
    """
    from PIL import Image  # imported here: only this function needs it

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return np.asarray(rgb, dtype=np.float64) / 255.0


def to_grayscale(image: ArrayLike) -> np.ndarray:
    """Luma of an RGB image (height, width, 3): ``0.299 R + 0.587 G + 0.114 B``, shape (height, width).

    A weighted sum over the last axis, written as a matrix product with the weight vector. The weights
    sum to 1, so white stays 1 and the result stays in [0, 1]. O(pixels).

    >>> to_grayscale(np.ones((1, 2, 3)))
    array([[1., 1.]])
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise ValueError(f"to_grayscale expects an RGB image of shape (height, width, 3), got {image.shape}")
    return image @ LUMA_601
