"""Scores against bars, for `achieve` exercises: the learner's pipeline reaches a metric on held-out data.

A test calls `reach(record_property, "PR-AUC", value, bar=0.6)`; the score goes into the check's `scores`
(shown by the CLI and the web UI whether the check passes or not), and the check fails with the gap when
the bar is missed. `record_property` is pytest's built-in fixture.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from aieng.grader.assertions import Mismatch

SCORE_PROPERTY = "aieng_score"


def reach(record_property: Callable[[str, Any], None], metric: str, value: float, *, bar: float,
          higher_is_better: bool = True, reference: float | None = None) -> None:
    """Record `metric = value` and require it to reach `bar` (≥ bar, or ≤ bar when lower is better).

    `reference` is the reference solution's figure on the same data, shown beside the bar.
    """
    value = float(value)
    record_property(SCORE_PROPERTY, {"metric": metric, "value": value, "bar": bar,
                                     "higher_is_better": higher_is_better, "reference": reference})
    ok = math.isfinite(value) and (value >= bar if higher_is_better else value <= bar)
    if not ok:
        relation = "at least" if higher_is_better else "at most"
        raise Mismatch(f"{value:.4g} misses the bar: {metric} must be {relation} {bar:.4g}", {})
