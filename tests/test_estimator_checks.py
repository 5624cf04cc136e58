"""Every estimator and transformer of the reference library is a scikit-learn citizen: it passes
scikit-learn's own `parametrize_with_checks`. An estimator that cannot pass a check lists it, with the
reason, in a class attribute `_expected_failed_checks = {"check_name": "why"}`. A class whose defaults make
the checks slow (hundreds of trees) names cheaper constructor arguments in `_estimator_checks_params`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

PACKAGES = ("aieng.lib.data", "aieng.lib.ml", "aieng.lib.dl")


def reference_estimators() -> list[BaseEstimator]:
    """One instance of every public BaseEstimator subclass defined in the packages: the defaults, updated by the
    class's `_estimator_checks_params` if it has one."""
    found: dict[str, type] = {}
    for package_name in PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if (issubclass(cls, BaseEstimator) and cls.__module__ == module.__name__
                        and not name.startswith("_") and not inspect.isabstract(cls)):
                    found[f"{cls.__module__}.{name}"] = cls
    return [cls(**getattr(cls, "_estimator_checks_params", {})) for _, cls in sorted(found.items())]


def _expected_failures(estimator: BaseEstimator) -> dict[str, str]:
    return dict(getattr(estimator, "_expected_failed_checks", {}))


@parametrize_with_checks(reference_estimators(), expected_failed_checks=_expected_failures)
def test_reference_estimator_passes_sklearn_checks(estimator: BaseEstimator, check: Callable[..., None]) -> None:
    check(estimator)
