"""Checks for `loading-data`: files are written in a fresh temporary directory (the grader lets tests
write only there), then read back by your code and by the stdlib, numpy.genfromtxt and pillow."""

import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import rngs

WORDS = ["Hello", "world", "the", "CAT", "naïve", "café", "日本", "x", "3.14", "don't"]
LUMA = np.array([0.299, 0.587, 0.114])


@st.composite
def text_files(draw):
    """(lines of text, line ending, whether the file starts with a UTF-8 byte-order mark)."""
    lines = draw(st.lists(st.lists(st.sampled_from([*WORDS, "  ", "\t"]), max_size=6).map(" ".join), max_size=8))
    return lines, draw(st.sampled_from(["\n", "\r\n"])), draw(st.booleans())


@settings(max_examples=20)  # every example writes and reads a file
@given(text_files())
def test_read_tokens_matches_str_split(impl, case):
    """read_tokens(path) is [line.lower().split() for each line with a token], for UTF-8 files with \\n or \\r\\n
    endings and an optional byte-order mark."""
    lines, ending, bom = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.txt"
        path.write_bytes(("\ufeff" if bom else "").encode() + ending.join(lines).encode("utf-8"))
        got = impl.read_tokens(path)
    expected = [line.lower().split() for line in lines if line.split()]
    expect(got == expected, f"read_tokens returned {got!r}, expected {expected!r} "
                            f"(line ending {ending!r}, byte-order mark: {bom})")


def _write(folder, name, text):
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@st.composite
def csv_tables(draw):
    """A header, a float table with holes (NaN), and its CSV text with empty fields and 'NA' for the holes."""
    rng = draw(rngs())
    n, d = draw(st.integers(0, 8)), draw(st.integers(1, 5))
    values = rng.normal(0, 100, size=(n, d))
    values[rng.random((n, d)) < 0.2] = np.nan
    header = [f"feature_{j}" for j in range(d)]
    lines = [",".join(header)]
    for row in values:
        markers = ["NA"] if d == 1 else ["", "NA"]  # with one column an empty field would be a blank line
        lines.append(",".join(repr(float(v)) if not math.isnan(v) else markers[int(rng.integers(len(markers)))]
                              for v in row))
    return header, values, "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


def _read_csv(impl, text):
    with tempfile.TemporaryDirectory() as folder:
        return impl.read_csv_array(_write(folder, "data.csv", text))


@settings(max_examples=20)  # every example writes and reads a file
@given(csv_tables())
def test_read_csv_array_recovers_the_written_numbers(impl, table):
    """read_csv_array(path) returns the header and the (n, d) float64 array that was written; blank and NA fields are
    NaN."""
    header, values, text = table
    result = _read_csv(impl, text)
    expect(isinstance(result, tuple) and len(result) == 2, "read_csv_array should return a pair (header, array)")
    got_header, got = result
    expect(list(got_header) == header, f"the header should be {header}, got {got_header!r}")
    got = np.asarray(got)
    expect(got.dtype == np.float64, f"the data should be float64, got {got.dtype}")
    assert_close(got, values, rtol=0, atol=0, what="read_csv_array(path) data")  # repr() round-trips exactly


@settings(max_examples=20)
@given(csv_tables().filter(lambda t: len(t[1]) > 1))
def test_read_csv_array_agrees_with_genfromtxt(impl, table):
    """For files of several rows, the data equals numpy.genfromtxt(path, delimiter=',', skip_header=1,
    missing_values=['', 'NA'])."""
    _, _, text = table
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "data.csv", text)
        expected = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values=["", "NA"],
                                 filling_values=np.nan, ndmin=2)
        _, got = impl.read_csv_array(path)
    assert_close(np.asarray(got), expected, rtol=0, atol=0, what="read_csv_array(path) vs numpy.genfromtxt")


def test_read_csv_array_keeps_two_dimensions(impl):
    """One row gives shape (1, d), a header alone gives (0, d), one column gives (n, 1): always 2-D."""
    for text, shape in [("a,b,c\n1,2,3\n", (1, 3)), ("a,b\n", (0, 2)), ("a\n1\n2\n", (2, 1))]:
        _, got = _read_csv(impl, text)
        expect(np.shape(got) == shape, f"read_csv_array of {text!r} has shape {np.shape(got)}, expected {shape}")


def test_read_csv_array_rejects_bad_fields(impl):
    """A field that is not a number, a row with too few fields or an empty file raises ValueError (not NaN)."""
    for text, why in [("a,b\n1,abc\n", "'abc' is not a number (genfromtxt would quietly make it NaN)"),
                      ("a,b\n1,2\n3\n", "the last row has 1 field for 2 columns"),
                      ("", "an empty file has no header")]:
        with tempfile.TemporaryDirectory() as folder:
            assert_raises_value_error(impl.read_csv_array, _write(folder, "bad.csv", text), why=why)


def _check_image(got, expected, what, atol):
    got = np.asarray(got)
    expect(got.shape == expected.shape, f"{what} has shape {got.shape}, expected {expected.shape} (height, width, 3)")
    expect(got.dtype == np.float64,
           f"{what} should be float64, got {got.dtype} (use .astype(np.float64), or divide uint8 pixels by 255.0)")
    assert_close(got, expected, rtol=0, atol=atol, what=what)


@settings(max_examples=20)
@given(rngs(), st.integers(1, 12), st.integers(1, 12), st.sampled_from(["RGB", "RGBA", "L"]))
def test_load_png_gives_rgb_floats_in_0_1(impl, rng, height, width, mode):
    """An 8-bit PNG (RGB, RGBA or grayscale, written with pillow) loads as its pixels / 255, shape (H, W, 3).

    Grayscale is repeated in all three channels and alpha is dropped. PNG is lossless, so the only
    allowance is 1e-6 for a float32 detour (matplotlib's imread returns float32).
    """
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = rng.integers(0, 256, size=(height, width, channels), dtype=np.uint8)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.png"
        Image.fromarray(pixels[..., 0] if mode == "L" else pixels, mode=mode).save(path)
        got = impl.load_image(path)
    expected = np.repeat(pixels, 3, axis=2) if mode == "L" else pixels[..., :3]
    _check_image(got, expected / 255.0, f"load_image({mode} PNG)", atol=1e-6)


def test_load_image_reads_matplotlib_pngs_and_jpegs(impl):
    """A PNG saved by matplotlib.image.imsave and a JPEG saved by pillow load as pillow decodes them, divided by 255."""
    import matplotlib.image

    rng = np.random.default_rng(7)
    picture = rng.random((9, 13, 3))
    with tempfile.TemporaryDirectory() as folder:
        png, jpeg = Path(folder) / "plot.png", Path(folder) / "photo.jpg"
        matplotlib.image.imsave(png, picture)
        Image.fromarray((picture * 255).astype(np.uint8)).save(jpeg, quality=90)
        for path, kind in [(png, "matplotlib PNG"), (jpeg, "JPEG")]:
            with Image.open(path) as image:
                expected = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
            _check_image(impl.load_image(path), expected, f"load_image({kind})", atol=1e-6)
        _check_image(impl.load_image(png), picture, "load_image(PNG) vs the array saved", atol=1 / 255)


@given(rngs(), st.integers(1, 8), st.integers(1, 8))
def test_grayscale_uses_the_601_luma_weights(impl, rng, height, width):
    """to_grayscale(img) equals 0.299 R + 0.587 G + 0.114 B at every pixel, shape (H, W)."""
    image = rng.random((height, width, 3))
    expected = 0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2]
    assert_close(impl.to_grayscale(image), expected, rtol=1e-12, atol=1e-15, what="to_grayscale(image)")


def test_grayscale_agrees_with_pillow(impl):
    """On an 8-bit image, to_grayscale(pixels / 255) * 255 is within 1 of pillow's convert('L') (which rounds to
    integers)."""
    pixels = np.random.default_rng(3).integers(0, 256, size=(16, 16, 3), dtype=np.uint8)
    expected = np.asarray(Image.fromarray(pixels, mode="RGB").convert("L"), dtype=np.float64)
    got = np.asarray(impl.to_grayscale(pixels / 255.0)) * 255.0
    assert_close(got, expected, rtol=0, atol=1.0, what="to_grayscale(pixels / 255) * 255 vs pillow")


def test_grayscale_rejects_other_shapes(impl):
    """A 2-D array or an image with 4 channels raises ValueError: convert to RGB first."""
    assert_raises_value_error(impl.to_grayscale, np.ones((4, 4)), why="a 2-D array is already gray")
    assert_raises_value_error(impl.to_grayscale, np.ones((4, 4, 4)), why="RGBA has 4 channels, not 3")
