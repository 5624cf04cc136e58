"""Keep an exercise honest: while the learner's code runs, switch off the library function it asks them
to implement (say `numpy.linalg.svd` in the SVD exercise), so calling it fails with a clear message.

    with forbid(impl, "numpy.linalg.svd", "scipy.linalg.svd"):
        u, s, vt = impl.svd(a)

A learner who wrote `from numpy.linalg import svd` is caught too: names in their module bound to a
forbidden object are switched off for the duration as well. Everything is restored on exit.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


def _refusal(dotted: str) -> Any:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"implement it yourself: {dotted} is switched off in this exercise")

    return refuse


@contextmanager
def forbid(impl: ModuleType, *dotted_names: str) -> Iterator[None]:
    """Replace each `package.module.attribute` (and the learner's aliases of it) with a function that
    raises AssertionError, for the duration of the `with` block."""
    saved: list[tuple[object, str, object]] = []
    try:
        for dotted in dotted_names:
            owner_name, attribute = dotted.rsplit(".", 1)
            owner = importlib.import_module(owner_name)
            original = getattr(owner, attribute)
            places = [(owner, attribute)] + [(impl, key) for key, value in vars(impl).items() if value is original]
            for target, key in places:
                saved.append((target, key, getattr(target, key)))
                setattr(target, key, _refusal(dotted))
        yield
    finally:
        for target, key, value in reversed(saved):
            setattr(target, key, value)
