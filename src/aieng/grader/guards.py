"""Keep an exercise honest: while the learner's code runs, switch off the library function it asks them
to implement (say `numpy.linalg.svd` in the SVD exercise), so calling it fails with a clear message.

    with forbid(impl, "numpy.linalg.svd", "scipy.linalg.svd"):
        u, s, vt = impl.svd(a)

A learner who wrote `from numpy.linalg import svd` is caught too: names in their module bound to a
forbidden object are switched off for the duration as well. Everything is restored on exit.

Where a whole library is the answer key (nashpy in the game-theory exercises), switch off the package:

    with forbid_package(impl, "nashpy"):
        got = impl.support_enumeration(a, b)

and check once that the learner's module did not import from it at all:

    assert_not_imported(impl, "nashpy")
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
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


def present(module_name: str, names: Iterable[str]) -> list[str]:
    """`module_name.name` for each of `names` the module defines, if the module is loaded at all.

    Names a version lacks (numpy 2 has no `trapz`) are skipped. A module nobody imported yet gives []:
    the learner's module cannot hold an alias of it, and the guard should not import scipy just to
    switch it off.
    """
    module = sys.modules.get(module_name)
    return [f"{module_name}.{name}" for name in names if module is not None and hasattr(module, name)]


# Everything that factors, inverts or solves: off while a learner writes their own elimination.
NUMPY_LINALG_SOLVERS = ("det", "slogdet", "inv", "pinv", "solve", "lstsq", "matrix_rank", "svd", "svdvals", "qr",
                        "eig", "eigh", "eigvals", "eigvalsh", "cholesky", "tensorinv", "tensorsolve", "cond")
SCIPY_LINALG_SOLVERS = ("det", "inv", "pinv", "solve", "lstsq", "lu", "lu_factor", "lu_solve", "qr", "svd",
                        "svdvals", "eig", "eigh", "eigvals", "null_space", "orth", "solve_triangular", "cholesky",
                        "cho_factor")
# Every library quadrature rule: off while a learner writes their own.
SCIPY_INTEGRATORS = ("quad", "quad_vec", "fixed_quad", "romb", "simpson", "trapezoid", "cumulative_trapezoid",
                     "cumulative_simpson", "dblquad", "tplquad", "nquad", "qmc_quad", "cubature", "tanhsinh",
                     "newton_cotes")


def forbid_linear_algebra(impl: ModuleType) -> AbstractContextManager[None]:
    """`forbid` every numpy.linalg (and loaded scipy.linalg) routine that factors, inverts or solves."""
    return forbid(impl, *present("numpy.linalg", NUMPY_LINALG_SOLVERS),
                  *present("scipy.linalg", SCIPY_LINALG_SOLVERS))


def forbid_integrators(impl: ModuleType) -> AbstractContextManager[None]:
    """`forbid` scipy.integrate's quadrature rules and numpy's trapezoid rule."""
    return forbid(impl, *present("scipy.integrate", SCIPY_INTEGRATORS), *present("numpy", ("trapezoid", "trapz")))


def _belongs(module_name: str, package: str) -> bool:
    """True for the package itself and its submodules: 'nashpy' and 'nashpy.game', not 'nashpyx'."""
    return module_name == package or module_name.startswith(package + ".")


def _origin(value: object) -> str:
    """The module a value comes from: a module's own name, else the value's `__module__` ('' if none)."""
    try:
        if isinstance(value, ModuleType):
            return value.__name__
        origin = getattr(value, "__module__", "")
    except Exception:  # an exotic object whose attribute lookup fails: it comes from nowhere we know
        return ""
    return origin if isinstance(origin, str) else ""


class _SwitchedOffModule(ModuleType):
    """Stands in for a module of a switched-off package: using any of its names raises AssertionError.

    Introspection dunders (`__file__`, `__all__`, ...) answer AttributeError, as for any module lacking
    them, so tools that scan `sys.modules` keep working. `__path__` refuses too: without it an import
    of a submodule nobody had loaded yet would quietly fall through to the real package.
    """

    def __init__(self, name: str, package: str) -> None:
        super().__init__(name)
        self.__switched_off__ = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name != "__path__":
            raise AttributeError(name)
        raise AssertionError(f"implement it yourself: {self.__switched_off__} is switched off in this exercise")


@contextmanager
def forbid_package(impl: ModuleType, *packages: str) -> Iterator[None]:
    """Switch off whole packages (say "nashpy") while the learner's code runs; restore them on exit.

    `forbid` switches off single functions; this is for an exercise whose answer key is a library:
    every way into the package must fail with AssertionError("implement it yourself: nashpy is
    switched off in this exercise"). Three routes are closed:

    - `import nashpy` (or `from nashpy.game import Game`) inside a function: `sys.modules["nashpy"]`
      and every loaded `nashpy.*` entry become stand-ins whose attributes refuse;
    - a module already holding the real package (`nashpy.Game(...)` after a top-level `import`):
      the package's own names (classes, functions, submodules) are replaced on the real modules;
    - the learner's aliases (`import nashpy as nash`, `from nashpy import Game`): names in `impl`
      bound to the package, a submodule or anything defined in it are replaced too.

    Pair it with `assert_not_imported(impl, "nashpy")`, which fails a module that imports the package
    at all, so the learner hears about it once, by name, rather than in every check.
    """
    saved_modules: dict[str, ModuleType] = {}
    saved_names: list[tuple[object, str, object]] = []
    try:
        for package in packages:
            importlib.import_module(package)  # loaded now, so an import in the block finds the stand-in
            refuse = _refusal(package)
            real = {name: module for name, module in sys.modules.items() if _belongs(name, package)}
            stand_ins = {name: _SwitchedOffModule(name, package) for name in real}
            places = [(module, key, value) for module in real.values() for key, value in vars(module).items()
                      if not key.startswith("_") and _belongs(_origin(value), package)]
            places += [(impl, key, value) for key, value in vars(impl).items() if _belongs(_origin(value), package)]
            for target, key, value in places:
                saved_names.append((target, key, value))
                if isinstance(value, ModuleType):  # a (sub)module: its stand-in
                    setattr(target, key, stand_ins.get(value.__name__) or _SwitchedOffModule(value.__name__, package))
                else:  # a class, function or object defined in the package
                    setattr(target, key, refuse)
            saved_modules.update({name: module for name, module in real.items() if name not in saved_modules})
            sys.modules.update(stand_ins)
        yield
    finally:
        sys.modules.update(saved_modules)
        for target, key, value in reversed(saved_names):
            setattr(target, key, value)


def assert_not_imported(impl: ModuleType, package: str) -> None:
    """Fail if any top-level name of the learner's module comes from `package` (or one of its submodules).

    Catches `import nashpy`, `import nashpy as nash` and `from nashpy import Game` alike: each leaves a
    name in the module whose origin (a module's name, or an object's `__module__`) is in the package.
    """
    for name, value in vars(impl).items():
        if _belongs(_origin(value), package):
            raise AssertionError(f"`{name}` comes from {package}: implement it yourself, without {package}")
