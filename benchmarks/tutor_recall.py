"""How well `aieng tutor` retrieves: recall@1, recall@5 and MRR on hand-written questions.

    python benchmarks/tutor_recall.py                 # the held-out set (src/aieng/tutor/questions.toml)
    python benchmarks/tutor_recall.py --set dev       # the development set (for trying settings)
    python benchmarks/tutor_recall.py --misses        # also list the questions missed at 5

The first run embeds the whole course with the packaged all-MiniLM-L6-v2 model (a few minutes on a
laptop CPU) and caches the index; later runs load it in well under a second. A question is a hit at k
when one of the first k passages comes from one of its source lessons (see aieng.tutor.evaluation).
The held-out questions were written before any measurement and are never used to tune the tutor: the
target is recall@5 >= 0.9.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from aieng.tutor import Tutor
from aieng.tutor.evaluation import DEV, HELD_OUT, evaluate, load_questions

TARGET = 0.9


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["held-out", "dev"], default="held-out")
    parser.add_argument("--questions", type=Path, help="a question file of your own ([[question]] text, lessons)")
    parser.add_argument("--course", type=Path, help="a course folder (default: the packaged course)")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at 5")
    args = parser.parse_args(argv)
    console = Console()
    path = args.questions or (DEV if args.set == "dev" else HELD_OUT)
    questions = load_questions(path)

    start = time.perf_counter()
    tutor = Tutor(args.course).build_index()
    index_s = time.perf_counter() - start
    start = time.perf_counter()
    result = evaluate(tutor, questions)
    search_s = time.perf_counter() - start

    kinds = {kind: sum(d.kind == kind for d in tutor.docs) for kind in ("lesson", "summary", "glossary")}
    table = Table(title=f"Tutor retrieval on {result['n']} {path.name} questions "
                        f"({len(tutor.docs)} passages: {kinds['lesson']} lesson chunks, {kinds['summary']} "
                        f"summaries, {kinds['glossary']} glossary terms)")
    for column in ("recall@1", "recall@5", "MRR", "target recall@5", "index", "search per question"):
        table.add_column(column, justify="right")
    met = "met" if result["recall@5"] >= TARGET else "NOT met"
    table.add_row(f"{result['recall@1']:.3f}", f"{result['recall@5']:.3f}", f"{result['MRR']:.3f}",
                  f">= {TARGET} ({met})",
                  f"{index_s:.2f} s ({'cache' if tutor.loaded_from_cache else 'built'})",
                  f"{1000 * search_s / result['n']:.0f} ms")
    console.print(table)
    if args.misses:
        for row in result["rows"]:
            if row["rank"] is None or row["rank"] > 5:
                console.print(f"[bold]missed[/bold] (first hit at {row['rank']}): {row['question']} -> want "
                              f"{', '.join(row['lessons'])}; got {', '.join(str(t) for t in row['top'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
