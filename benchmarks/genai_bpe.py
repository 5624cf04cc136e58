"""Our byte-level BPE (aieng.lib.genai.bpe) against Hugging Face `tokenizers`' ByteLevel BPE.

Both are trained on the same text with the same vocabulary size (256 byte tokens + merges, no special
tokens, GPT-2's split regex, no prefix space), then encode the same held-out text. Reported per tokenizer:
training time, encoding throughput (characters per second, one call on the whole held-out text, our
per-piece cache starting empty), compression (UTF-8 bytes per token and characters per token on the
held-out text) and whether decode(encode(text)) gives the text back; `tokenizers` is also timed through
its batch API (`encode_batch` over the lines, the same tokens except where a piece spans a line break).
`tokenizers` is Rust and multi-threaded in training; encoding one long string runs on one thread and pays
for offsets and other bookkeeping we do not compute, so raw speed comparisons favour neither side cleanly,
and on a busy machine wall-clock times move a lot: read them as orders of magnitude. Compression should
agree to well under 1%: the merge rules are the same (counting, tie rule), only the pre-tokenizer regexes
differ on rare non-ASCII characters.

    python benchmarks/genai_bpe.py [--vocab 512 2048]

`bpe_rows(corpus_text, vocab_size)` returns the rows as dicts, for benchmarks/genai.py to print.
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from aieng.lib.genai import bpe

COLUMNS = ("tokenizer", "vocab_size", "train_s", "encode_chars_per_s", "bytes_per_token", "chars_per_token",
           "round_trip")


def _tokenizers_bpe(text: str, vocab_size: int):  # -> tokenizers.Tokenizer (imported lazily)
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=[], show_progress=False)
    tokenizer.train_from_iterator([text], trainer=trainer)
    return tokenizer


def _row(name: str, vocab_size: int, train_s: float, encode_s: float, held_out: str, ids: list[int],
         decoded: str) -> dict:
    return {"tokenizer": name, "vocab_size": vocab_size, "train_s": train_s,
            "encode_chars_per_s": len(held_out) / encode_s if encode_s > 0 else float("inf"),
            "bytes_per_token": len(held_out.encode("utf-8")) / max(len(ids), 1),
            "chars_per_token": len(held_out) / max(len(ids), 1), "round_trip": decoded == held_out}


def bpe_rows(corpus_text: str, vocab_size: int, held_out: str | None = None) -> list[dict]:
    """Train both tokenizers and measure them; one dict per tokenizer with the keys in COLUMNS.

    corpus_text: the training text. held_out: the text to encode; by default the last 10% of corpus_text
    is held out and training uses the first 90%.
    """
    if held_out is None:
        cut = int(0.9 * len(corpus_text))
        corpus_text, held_out = corpus_text[:cut], corpus_text[cut:]
    start = time.perf_counter()
    ours = bpe.BPETokenizer(bpe.train(corpus_text, vocab_size))
    train_ours = time.perf_counter() - start
    start = time.perf_counter()
    ids = ours.encode(held_out)
    encode_ours = time.perf_counter() - start
    rows = [_row("aieng.lib.genai.bpe", vocab_size, train_ours, encode_ours, held_out, ids, ours.decode(ids))]

    start = time.perf_counter()
    theirs = _tokenizers_bpe(corpus_text, vocab_size)
    train_theirs = time.perf_counter() - start
    start = time.perf_counter()
    their_ids = theirs.encode(held_out).ids
    encode_theirs = time.perf_counter() - start
    rows.append(_row("tokenizers ByteLevel BPE", vocab_size, train_theirs, encode_theirs, held_out, their_ids,
                     theirs.decode(their_ids)))
    lines = held_out.splitlines(keepends=True)  # its batch API, threads over lines
    start = time.perf_counter()
    batch = theirs.encode_batch(lines)
    encode_batch = time.perf_counter() - start
    batch_ids = [i for encoding in batch for i in encoding.ids]
    rows.append(_row("tokenizers, encode_batch by line", vocab_size, train_theirs, encode_batch, held_out,
                     batch_ids, "".join(theirs.decode_batch([e.ids for e in batch]))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vocab", type=int, nargs="+", default=[512, 2048])
    args = parser.parse_args()
    from aieng.datasets import shakespeare

    corpus = shakespeare()
    table = Table(title=f"byte-level BPE on Shakespeare: train on {len(corpus.train):,} chars, "
                        f"encode the {len(corpus.val):,}-char validation split")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "tokenizer" else "right")
    for vocab_size in args.vocab:
        for row in bpe_rows(corpus.train, vocab_size, held_out=corpus.val):
            table.add_row(row["tokenizer"], str(row["vocab_size"]), f"{row['train_s']:.2f}",
                          f"{row['encode_chars_per_s']:,.0f}", f"{row['bytes_per_token']:.4f}",
                          f"{row['chars_per_token']:.4f}", str(row["round_trip"]))
        table.add_section()
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
