"""Judge an estimator by scikit-learn's own estimator checks, with feedback a learner can act on.

`assert_sklearn_compatible(SomeEstimator())` runs `sklearn.utils.estimator_checks.check_estimator`
(about 50-90 checks: fit returns self, no attribute set in `__init__`, `predict` before `fit` raises
NotFittedError, inputs validated, results independent of sample order, ...) and fails with one line
per failing check: its name and the exception it raised. Expected failures must be listed with a
reason, exactly as scikit-learn's own `expected_failed_checks` asks.

Imports scikit-learn lazily (~1 s): only the exercises that use it pay for it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping


def failing_checks(estimator: object, expected_failed_checks: Mapping[str, str] | None = None) -> list[str]:
    """'check_name: ExceptionType: message' for every scikit-learn estimator check `estimator` fails."""
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None, on_skip=None,
                                  expected_failed_checks=dict(expected_failed_checks or {}))
    lines = []
    for result in results:
        if result["status"] == "failed":
            exc = result["exception"]
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            lines.append(f"{result['check_name']}: {type(exc).__name__}: {message}"[:300])
    return lines


def assert_sklearn_compatible(estimator: object, expected_failed_checks: Mapping[str, str] | None = None) -> None:
    """Fail, listing each failing check, unless `estimator` passes scikit-learn's estimator checks."""
    failures = failing_checks(estimator, expected_failed_checks)
    if failures:
        shown = "\n".join(f"  - {line}" for line in failures[:8])
        more = f"\n  ... and {len(failures) - 8} more" if len(failures) > 8 else ""
        raise AssertionError(
            f"{type(estimator).__name__} fails {len(failures)} of scikit-learn's estimator checks:\n{shown}{more}"
        )
