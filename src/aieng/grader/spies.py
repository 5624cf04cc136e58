"""Spies: stand-ins for the functions a learner's code receives (a sampler, a statistic), which do the
real work and write down how they were called, so a test can check *how* a simulation was done, not
only its result.

- `RecordingSampler(draw)`: a sampler `draw(rng, size)` that records every size it was asked for and
  every array it returned, so the test can recompute the learner's answer from the very same numbers
  and insist on one batched call (`only_call(size)`).
- `RecordingStatistic(np.mean)`: a statistic `statistic(samples, axis=-1)` that insists on an axis (one
  vectorized call over all rows, not one per row) and records the arrays it saw.

Both may share a `log` list, which then holds the calls of both in order, as (name, shape) pairs:

    log = []
    sampler = RecordingSampler(lambda rng, size: rng.normal(1.0, 2.0, size), name="sampler", log=log)
    estimator = RecordingStatistic(np.mean, name="estimator", reduces="each row (trial)", log=log)
    impl.sampling_distribution(estimator, sampler, 5, 100, 0)   # n = 5, 100 trials, seed 0
    log == [("sampler", (100, 5)), ("estimator", (100, 5))]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from aieng.grader.assertions import expect


def _shape_of_size(size: Any) -> tuple[Any, ...]:
    """numpy's `size` argument as a shape: 5 → (5,), (3, 4) → (3, 4)."""
    return tuple(size) if np.ndim(size) else (size,)


class RecordingSampler:
    """A sampler `draw(rng, size)` that records each `size` it was asked for and each array it returned.

    `sampler` does the drawing. With `require_generator`, a call whose rng is not a numpy Generator fails
    with a message saying so (make it with np.random.default_rng(seed)). With a `log` list, each call
    also appends (name, shape).
    """

    def __init__(self, sampler: Callable[[np.random.Generator, Any], np.ndarray], *, name: str = "draw",
                 require_generator: bool = True, log: list[tuple[str, tuple[Any, ...]]] | None = None) -> None:
        self.sampler = sampler
        self.name = name
        self.require_generator = require_generator
        self.log = log
        self.sizes: list[Any] = []
        self.returned: list[np.ndarray] = []

    def __call__(self, rng: np.random.Generator, size: Any) -> np.ndarray:
        if self.require_generator:
            expect(isinstance(rng, np.random.Generator),
                   f"{self.name} must receive a numpy Generator (np.random.default_rng(seed)), "
                   f"got {type(rng).__name__}")
        values = self.sampler(rng, size)
        self.sizes.append(size)
        self.returned.append(values)
        if self.log is not None:
            self.log.append((self.name, _shape_of_size(size)))
        return values

    def only_call(self, expected_size: Any) -> np.ndarray:
        """Assert that the sampler was called exactly once, with `expected_size` (5 and (5,) count as equal);
        return what that call returned."""
        sizes = [tuple(np.atleast_1d(s)) for s in self.sizes]
        shown = ", ".join(map(str, self.sizes[:4]))
        if len(self.sizes) > 4:
            shown += f", ... ({len(self.sizes)} calls)"
        expect(sizes == [tuple(np.atleast_1d(expected_size))],
               f"{self.name} should be called once with size {expected_size}; it was called with sizes "
               f"{shown or 'none'}")
        return self.returned[0]


class RecordingStatistic:
    """A statistic `statistic(samples, axis)` that insists on being given an axis and records each array.

    An axis means one vectorized call reducing every row at once; without one the call fails with
    "call the {name} as {name}(samples, axis=-1), so it reduces {reduces}". `calls` holds the arrays
    (as numpy arrays); with a `log` list each call also appends (name, shape).
    """

    def __init__(self, statistic: Callable[..., Any] = np.mean, *, name: str = "statistic",
                 reduces: str = "each row", log: list[tuple[str, tuple[Any, ...]]] | None = None) -> None:
        self.statistic = statistic
        self.name = name
        self.reduces = reduces
        self.log = log
        self.calls: list[np.ndarray] = []

    def __call__(self, samples: Any, axis: int | None = None) -> Any:
        expect(axis is not None,
               f"call the {self.name} as {self.name}(samples, axis=-1), so it reduces {self.reduces}")
        samples = np.asarray(samples)
        self.calls.append(samples)
        if self.log is not None:
            self.log.append((self.name, samples.shape))
        return self.statistic(samples, axis=axis)
