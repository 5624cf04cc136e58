"""Vectorized numpy versus plain Python loops: the speed-up the `vectorization` lesson promises.

Times each function of `aieng.lib.python.vectorization` against a straightforward loop over Python
floats computing the same result (checked equal first), in one process on the same input, and prints
the ratio loop / vectorized. The lesson's claim: 10x or more at these sizes.

    python benchmarks/vectorization.py [--n 100000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import math
import timeit
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.table import Table

from aieng.lib.python import vectorization as vec


def loop_moving_average(x: list[float], window: int) -> list[float]:
    return [sum(x[i : i + window]) / window for i in range(len(x) - window + 1)]


def loop_softmax_rows(rows: list[list[float]]) -> list[list[float]]:
    out = []
    for row in rows:
        top = max(row)
        exps = [math.exp(v - top) for v in row]
        total = sum(exps)
        out.append([e / total for e in exps])
    return out


def loop_polyval(coeffs: list[float], xs: list[float]) -> list[float]:
    out = []
    for x in xs:
        acc = 0.0
        for c in coeffs:  # Horner, highest power first (numpy.polyval's order)
            acc = acc * x + c
        out.append(acc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal(args.n)
    rows = rng.standard_normal((args.n // 10, 10))
    coeffs = rng.standard_normal(6)
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("moving_average(window=20)", lambda: vec.moving_average(x, 20), lambda: loop_moving_average(x.tolist(), 20)),
        ("softmax_rows", lambda: vec.softmax_rows(rows), lambda: loop_softmax_rows(rows.tolist())),
        ("polyval(degree 5)", lambda: vec.polyval(coeffs, x), lambda: loop_polyval(coeffs.tolist(), x.tolist())),
    ]
    table = Table(title=f"vectorized numpy vs Python loops, n = {args.n:,} (best of {args.repeats}, ms)")
    for column in ("function", "numpy", "loop", "loop / numpy"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for name, fast, slow in cases:
        np.testing.assert_allclose(np.asarray(fast()), np.asarray(slow()), rtol=1e-9, atol=1e-9)
        t_fast = min(timeit.repeat(fast, number=1, repeat=args.repeats))
        t_slow = min(timeit.repeat(slow, number=1, repeat=args.repeats))
        table.add_row(name, f"{1e3 * t_fast:.2f}", f"{1e3 * t_slow:.1f}", f"{t_slow / t_fast:.0f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
