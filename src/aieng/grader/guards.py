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

Where the library thing is an object rather than a function (scipy.stats.norm, whose `.cdf` would
otherwise answer), `forbid_objects` puts a stand-in there that refuses calls *and* attribute access;
`forbid_method` switches off one method on the class that defines it (`.interval` of every scipy
distribution, frozen or not):

    with forbid_objects(impl, "scipy.stats.norm"), forbid_method(scipy.stats.norm, "interval",
                                                                 whose="scipy's distributions"):
        ...

Some shortcuts cannot be switched off at all (an array's `.var()` method), so two checks read the
learner's source instead: `assert_no_method_calls(impl, {"var", "median"}, complaint=...)` and
`assert_no_loops(impl)` (for, while, comprehensions, map, np.vectorize).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import ModuleType
from typing import Any


def _refusal(dotted: str) -> Any:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"implement it yourself: {dotted} is switched off in this exercise")

    return refuse


@contextmanager
def _replaced(impl: ModuleType, dotted_names: Iterable[str], stand_in: Callable[[str], object]) -> Iterator[None]:
    """Put `stand_in(dotted)` in place of each `package.module.attribute` and of the learner's aliases of it
    (names in `impl` bound to the very same object); restore everything on exit."""
    saved: list[tuple[object, str, object]] = []
    try:
        for dotted in dotted_names:
            owner_name, attribute = dotted.rsplit(".", 1)
            owner = importlib.import_module(owner_name)
            original = getattr(owner, attribute)
            places = [(owner, attribute)] + [(impl, key) for key, value in vars(impl).items() if value is original]
            for target, key in places:
                saved.append((target, key, getattr(target, key)))
                setattr(target, key, stand_in(dotted))
        yield
    finally:
        for target, key, value in reversed(saved):
            setattr(target, key, value)


def forbid(impl: ModuleType, *dotted_names: str) -> AbstractContextManager[None]:
    """Replace each `package.module.attribute` (and the learner's aliases of it) with a function that
    raises AssertionError, for the duration of the `with` block."""
    return _replaced(impl, dotted_names, _refusal)


class _SwitchedOffObject:
    """Stands in for a library object (scipy.stats.norm, a function): calling it or reading any of its
    attributes (`norm.cdf`, `gamma.fit`) raises AssertionError("implement it yourself: ...").

    Dunder lookups (`__wrapped__`, `__module__`, ...) answer AttributeError instead, as for an object
    lacking them, so introspection (inspect, pytest, copy) keeps working.
    """

    def __init__(self, dotted: str) -> None:
        self._dotted = dotted

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise AssertionError(f"implement it yourself: {self._dotted} is switched off in this exercise")

    __call__ = _refuse

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._refuse()


def forbid_objects(impl: ModuleType, *dotted_names: str) -> AbstractContextManager[None]:
    """`forbid` for objects rather than functions: the stand-in also refuses attribute access.

    With plain `forbid`, `scipy.stats.norm` would become a function, and `scipy.stats.norm.cdf(x)` would
    fail with a puzzling AttributeError. Here it fails with "implement it yourself: scipy.stats.norm is
    switched off in this exercise", and so do the learner's aliases (`from scipy.stats import norm`).
    Plain functions (`scipy.stats.fit`) may be listed too: calling the stand-in refuses as well.
    """
    return _replaced(impl, dotted_names, _SwitchedOffObject)


@contextmanager
def forbid_method(example: object, method: str, *, whose: str, instead: str = "") -> Iterator[None]:
    """Switch off `method` on the class that defines it, found in the MRO of `example` (an instance or a
    class), while the block runs; restore it on exit.

    Every object inheriting the method is covered at once: `forbid_method(scipy.stats.norm, "interval",
    whose="scipy's distributions", instead="use .ppf or .isf")` switches off `.interval` on rv_generic,
    so on every continuous and discrete distribution, and on frozen ones, which call it. Calling it
    raises AssertionError("implement it yourself: the .interval method of scipy's distributions is
    switched off in this exercise (use .ppf or .isf)").
    """
    cls = example if isinstance(example, type) else type(example)
    owner = next((c for c in cls.__mro__ if method in vars(c)), None)
    if owner is None:
        raise ValueError(f"{cls.__name__} has no method {method!r} to switch off")
    original = vars(owner)[method]
    advice = f" ({instead})" if instead else ""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"implement it yourself: the .{method} method of {whose} is switched off in this "
                             f"exercise{advice}")

    setattr(owner, method, refuse)
    try:
        yield
    finally:
        setattr(owner, method, original)


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


def _places(impl: ModuleType, modules: Iterable[ModuleType], package: str) -> list[tuple[object, str, object]]:
    """Every (module, name, value) where a name is bound to something of `package`: in the package's own
    modules and in the learner's module."""
    places = [(module, key, value) for module in modules for key, value in vars(module).items()
              if not key.startswith("_") and _belongs(_origin(value), package)]
    return places + [(impl, key, value) for key, value in vars(impl).items() if _belongs(_origin(value), package)]


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
        with warnings.catch_warnings():  # reading every name trips deprecation warnings (torch has many)
            warnings.simplefilter("ignore")
            for package in packages:
                importlib.import_module(package)  # loaded now, so an import in the block finds the stand-in
                refuse = _refusal(package)
                real = {name: module for name, module in sys.modules.items() if _belongs(name, package)}
                stand_ins = {name: _SwitchedOffModule(name, package) for name in real}
                places = _places(impl, real.values(), package)
                for target, key, value in places:
                    replacement = (stand_ins.get(value.__name__) or _SwitchedOffModule(value.__name__, package)
                                   if isinstance(value, ModuleType)  # a (sub)module: its stand-in
                                   else refuse)  # a class, function or object defined in the package
                    try:
                        setattr(target, key, replacement)
                    except (AttributeError, TypeError):  # a module that guards its attributes (torch's configs)
                        continue
                    saved_names.append((target, key, value))
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


# ----------------------------------------------------------------------------- source scans


def _syntax_tree(impl: ModuleType) -> ast.Module | None:
    """The parsed source of the learner's module, or None where there is no source to read (compiled)."""
    try:
        return ast.parse(inspect.getsource(impl))
    except (OSError, TypeError):
        return None


def assert_no_method_calls(impl: ModuleType, methods: Collection[str], *, complaint: str) -> None:
    """Fail if the learner's source calls a method named in `methods` (`x.var()`, `df.corr()`).

    Array and DataFrame methods slip past `forbid`, which switches off module attributes only, so the
    source is read: any call `<anything>.name(...)` with a listed name counts. The message names the
    first three lines, then `complaint` (what to do instead): "line 12: .var(...), line 30:
    .median(...) calls a library statistic; compute it yourself". A module without readable source
    passes.
    """
    tree = _syntax_tree(impl)
    if tree is None:
        return
    calls = [(node.lineno, node.func.attr) for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr in methods]
    if calls:
        raise AssertionError("line " + ", line ".join(f"{line}: .{name}(...)" for line, name in calls[:3])
                             + f" {complaint}")


# What counts as a Python-level loop, and calls that loop per element behind a vectorized-looking name.
LOOP_NODES: dict[type[ast.AST], str] = {
    ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
    ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression",
}
PER_ELEMENT_CALLS = frozenset({"vectorize", "apply_along_axis", "frompyfunc", "map"})


def assert_no_loops(impl: ModuleType) -> None:
    """Fail if a function in the learner's source loops in Python: for, while, a comprehension, or a call of
    map, np.vectorize, np.apply_along_axis or np.frompyfunc (each calls Python once per element).

    Only code inside functions counts (a module-level table built with a comprehension is fine). The
    message lists each place once: "rewrite these with array operations: a for loop in f() at line 7;
    ...". A module without readable source passes.
    """
    tree = _syntax_tree(impl)
    if tree is None:
        return
    found = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        for node in ast.walk(function):
            if type(node) in LOOP_NODES:
                found.append(f"{LOOP_NODES[type(node)]} in {function.name}() at line {node.lineno}")
            elif isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in PER_ELEMENT_CALLS:
                    found.append(f"a call of {name}() in {function.name}() at line {node.lineno}")
    if found:
        raise AssertionError("rewrite these with array operations: " + "; ".join(dict.fromkeys(found)))
