"""Comparisons that explain themselves: when a learner's answer differs from the oracle, the failure
carries expected vs got, shapes, the largest absolute and relative errors and the first bad index, as
structured `details` the grader puts into the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class Mismatch(AssertionError):
    """An AssertionError whose `details` dict the grader shows as 'expected vs got'."""

    def __init__(self, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.details = details


def preview(value: object, limit: int = 300) -> str:
    """A short, readable rendering of a value (arrays summarised numpy-style)."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=20, edgeitems=3, max_line_width=100)
        text = f"array(shape={value.shape}, dtype={value.dtype}) {text}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _as_float_array(value: object, what: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except Exception as exc:  # e.g. ragged lists
        raise Mismatch(f"{what} could not be read as an array: {exc}", {"got": preview(value)}) from None
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)
    ):
        raise Mismatch(
            f"{what} should be numeric, got a value of type {type(value).__name__} ({array.dtype})",
            {"got": preview(value)},
        )
    return array.astype(np.complex128 if np.iscomplexobj(array) else np.float64)


def assert_close(
    got: object,
    expected: object,
    *,
    rtol: float = 1e-7,
    atol: float = 1e-10,
    what: str = "result",
    equal_nan: bool = True,
) -> None:
    """Assert `|got - expected| <= atol + rtol * |expected|` elementwise, with equal shapes.

    Works for scalars and arrays. On failure raises `Mismatch` whose details hold both values, both
    shapes, the max absolute and relative error and the first index that is off.
    """
    if got is None and expected is not None:
        raise Mismatch(f"{what} is None: did the function forget to `return`?", {"got": "None"})
    want = _as_float_array(expected, "the expected value")
    have = _as_float_array(got, what)
    same_shape = want.shape == have.shape
    close = np.isclose(have, want, rtol=rtol, atol=atol, equal_nan=equal_nan) if same_shape else None
    if close is not None and close.all():
        return  # the common case: no text to build
    details: dict[str, Any] = {
        "expected": preview(expected),
        "got": preview(got),
        "expected_shape": list(want.shape),
        "got_shape": list(have.shape),
        "rtol": rtol,
        "atol": atol,
    }
    if close is None:
        raise Mismatch(f"{what} has shape {have.shape}, expected shape {want.shape}", details)
    with np.errstate(invalid="ignore", divide="ignore"):
        abs_err = np.abs(have - want)
        rel_err = np.where(want != 0, abs_err / np.abs(want), np.nan)  # undefined where expected is 0
    finite, rel_finite = np.isfinite(abs_err), np.isfinite(rel_err)
    details["max_abs_error"] = float(abs_err[finite].max()) if finite.any() else float("nan")
    details["max_rel_error"] = float(rel_err[rel_finite].max()) if rel_finite.any() else float("nan")
    details["n_mismatched"] = int((~close).sum())
    details["n_total"] = int(close.size)
    if want.ndim == 0:
        raise Mismatch(
            f"{what} is {have.item()!r}, expected {want.item()!r} "
            f"(abs error {details['max_abs_error']:.3g}, allowed {atol:g} + {rtol:g}·|expected|)",
            details,
        )
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    details.update(first_bad_index=list(index), expected_at=want[index].item(), got_at=have[index].item())
    raise Mismatch(
        f"{what} differs at {details['n_mismatched']} of {close.size} entries; first at index {index}: "
        f"expected {want[index].item()!r}, got {have[index].item()!r} "
        f"(max abs error {details['max_abs_error']:.3g}, max rel error {_fmt(details['max_rel_error'])})",
        details,
    )


def _fmt(error: float) -> str:
    """An error for people: 'n/a' where it is undefined (a relative error against an expected 0)."""
    return "n/a" if np.isnan(error) else f"{error:.3g}"


def assert_raises_value_error(fn: Callable[..., object], *args: object, why: str = "", **kwargs: object) -> None:
    """Assert that `fn(*args, **kwargs)` raises ValueError; explain what came back otherwise.

    `why` completes the sentence "it should, because ...", so the learner sees the rule they missed.
    """
    because = f" because {why}" if why else ""
    try:
        result = fn(*args, **kwargs)
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise Mismatch(
            f"expected a ValueError{because}, but it raised {type(exc).__name__}: {exc}",
            {"expected": "ValueError", "got": f"{type(exc).__name__}: {exc}"},
        ) from exc
    raise Mismatch(
        f"expected a ValueError{because}, but it returned {preview(result, 120)}",
        {"expected": "ValueError", "got": preview(result)},
    )


def assert_raises(
    error: type[Exception],
    fn: Callable[..., object],
    *args: object,
    because: str,
    returned: Callable[[Any], str] | None = None,
    **kwargs: object,
) -> None:
    """Assert that `fn(*args, **kwargs)` raises `error` (or a subclass of it); explain what happened otherwise.

    - another exception fails with "{because}; expected {error}, got {its type}: {its message}";
    - a normal return fails with `returned(result)`, a sentence built from what came back (say, the
      last losses of a diverging optimizer), or else "{because}; expected {error}, but it returned ...".

    NotImplementedError is re-raised untouched, even where `error` is a base class of it (RuntimeError),
    so an unfinished starter is reported as "not implemented yet", not as a pass. For ValueError with a
    reason, `assert_raises_value_error` reads better.

        assert_raises(FloatingPointError, run, because="lr = 1.50 x 2/L diverges")
    """
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise
    except error:
        return
    except Exception as exc:
        raise Mismatch(
            f"{because}; expected {error.__name__}, got {type(exc).__name__}: {exc}",
            {"expected": error.__name__, "got": f"{type(exc).__name__}: {exc}"},
        ) from exc
    if returned is not None:
        message = returned(result)
    else:
        message = f"{because}; expected {error.__name__}, but it returned {preview(result, 120)}"
    raise Mismatch(message, {"expected": error.__name__, "got": preview(result)})


def align_signs(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Signs (+1/-1 per column) that turn the columns of `got` towards those of `expected`.

    Eigenvectors and singular vectors are defined only up to sign: v and -v are equally right.
    """
    signs = np.sign(np.sum(np.asarray(got) * np.asarray(expected), axis=0))
    return np.where(signs == 0, 1.0, signs)


def assert_close_up_to_sign(got: object, expected: object, **kwargs: Any) -> np.ndarray:
    """`assert_close` on matrices whose columns may each be flipped; returns the signs used, so paired
    factors (U and V of an SVD) can be flipped together."""
    want = np.asarray(expected, dtype=np.float64)
    have = _as_float_array(got, kwargs.get("what", "result"))
    if have.shape != want.shape:
        assert_close(have, want, **kwargs)  # reports the shape mismatch
    signs = align_signs(have, want)
    assert_close(have * signs, want, **kwargs)
    return signs


def expect(condition: bool, message: str) -> None:
    """Assert `condition`, failing with exactly `message` (a sentence for the learner, nothing else)."""
    if not condition:
        raise AssertionError(message)


def expect_interval(result: Any, what: str) -> tuple[float, float]:
    """Assert that `result` is a pair (low, high) of numbers with low <= high; return it as two floats.

    A confidence interval as a tuple or list of two scalars (numpy scalars and 0-d arrays count);
    anything else fails with "{what} should return a pair (low, high) of numbers, got ...".
    """
    expect(isinstance(result, tuple | list) and len(result) == 2 and all(np.ndim(v) == 0 for v in result),
           f"{what} should return a pair (low, high) of numbers, got {result!r}")
    low, high = (float(v) for v in result)
    expect(low <= high, f"{what} returned low = {low} > high = {high}")
    return low, high
