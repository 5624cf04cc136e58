"""Chunking: cutting documents into passages small enough to embed and to paste into a prompt.

Three chunkers, from blind to structure-aware. Each returns pieces of the original text, never
rewritten text, so the source can always be rebuilt and a passage can be traced back to its place.

- `fixed_size_chunks(seq, size, overlap)`: windows of `size` items (characters of a string, or token
  ids of a list) that start every ``size - overlap`` items. The window after the first repeats the
  last `overlap` items of the one before, so a fact cut by a boundary appears whole in one window.
  ``chunks[0] + chunks[1][overlap:] + chunks[2][overlap:] + ...`` is the input again.
- `split_sentences(text)` and `sentence_chunks(text, max_chars)`: a regex sentence splitter (rules
  below), then greedy packing of whole sentences into chunks of at most `max_chars` characters; a
  sentence is cut only when it alone is longer than `max_chars`.
- `markdown_chunks(text, max_chars)`: one section per ATX heading (``#`` to ``######``, outside fenced
  code blocks), each chunk labelled with its heading path ("Lesson > Pitfalls > Overflow"); sections
  longer than `max_chars` are packed by sentences.

The sentence rules (``split_sentences``):

1. A sentence ends after a run of ``.``, ``!`` or ``?``, optionally followed by closing quotes or
   brackets (``" ' ) ] ” ’``), when whitespace follows and the next visible character is an ASCII
   capital letter, a digit, or an opening quote or bracket (``" ' ( [ “ ‘``).
2. A blank line (a newline, optional spaces or tabs, a newline) always ends a sentence: paragraphs,
   headings and list blocks separated by blank lines are never glued together.
3. The whitespace after a boundary belongs to the sentence before it, so the sentences concatenate to
   exactly the text. A boundary with nothing but whitespace before it is ignored (leading whitespace
   joins the first sentence). A text without a visible character has no sentences.

Known misses, by design of a regex: abbreviations followed by a capital ("e.g. The", "Dr. Watson")
are split, a single newline never splits, and lower-case sentence starts ("iPhones sell.") are not
recognized. Production systems use trained splitters (punkt, spaCy) or split on tokens.

Left out: setext headings (underlined with === or ---), HTML blocks, recursive splitting on other
separators (LangChain's RecursiveCharacterTextSplitter), semantic chunking by embedding similarity.
Cost: every chunker is O(n) in the length of the text (plus O(n) copies of overlapping windows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Chunk", "fixed_size_chunks", "markdown_chunks", "sentence_chunks", "split_sentences"]

S = TypeVar("S", bound=Sequence)

# Rule 1 (terminal punctuation, closers, whitespace, a capital/digit/opener next) or rule 2 (a blank line).
_BOUNDARY = re.compile(r"""[.!?]+["')\]”’]*\s+(?=["'(\[“‘]?[A-Z0-9])|\n[ \t]*\n\s*""")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")


@dataclass(frozen=True)
class Chunk:
    """A passage of a Markdown document: its exact text and the titles of the headings it sits under.

    ``headings`` runs from the outermost heading to the innermost, e.g. ("Vector norms", "Pitfalls");
    text before the first heading has ``headings == ()``.
    """

    text: str
    headings: tuple[str, ...] = ()

    @property
    def heading_path(self) -> str:
        """The headings joined with " > " ("" before the first heading)."""
        return " > ".join(self.headings)


def fixed_size_chunks(seq: S, size: int, overlap: int = 0) -> list[S]:
    """Windows of `size` items of `seq` (a str, list or tuple: characters or token ids), each window
    starting ``size - overlap`` items after the previous one.

    The first window starts at 0; the last is the first window that reaches the end of `seq` (it may be
    shorter than `size`). So there are 0 windows for an empty input, 1 if ``len(seq) <= size``, else
    ``1 + ceil((n - size) / (size - overlap))``. Every window is a slice of `seq`, of the same type.

    >>> fixed_size_chunks("abcdefgh", 4, overlap=1)
    ['abcd', 'defg', 'gh']
    >>> fixed_size_chunks([5, 6, 7, 8, 9], 2)
    [[5, 6], [7, 8], [9]]

    Raises ValueError unless ``size >= 1`` and ``0 <= overlap < size``. Cost: O(n + overlap * windows).
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive integer, got {size!r}")
    if isinstance(overlap, bool) or not isinstance(overlap, int) or not 0 <= overlap < size:
        raise ValueError(f"overlap must be an integer in [0, size) = [0, {size}), got {overlap!r}")
    n, step = len(seq), size - overlap
    if n == 0:
        return []
    last_start = max(0, -(-(n - size) // step) * step)  # the first start whose window reaches the end
    return [seq[start:start + size] for start in range(0, last_start + 1, step)]


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` by the module's three rules; they concatenate to exactly `text`.

    >>> split_sentences("It works. Does it? Yes!  3 tests pass.")
    ['It works. ', 'Does it? ', 'Yes!  ', '3 tests pass.']
    >>> split_sentences("e.g. the 3.5 kg\\n\\nNext paragraph")
    ['e.g. the 3.5 kg\\n\\n', 'Next paragraph']

    Cost: one regex scan, O(n).
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        return []
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if text[start:match.start()].strip():  # rule 3: skip a boundary with only whitespace before it
            pieces.append(text[start:match.end()])
            start = match.end()
    if start < len(text):
        if text[start:].strip() or not pieces:
            pieces.append(text[start:])
        else:  # trailing whitespace the last boundary did not take (cannot happen with \s+, kept safe)
            pieces[-1] += text[start:]
    return pieces


def sentence_chunks(text: str, max_chars: int) -> list[str]:
    """Whole sentences packed greedily into chunks of at most `max_chars` characters.

    Walk the sentences in order; add each to the current chunk if the chunk stays within `max_chars`,
    else close the chunk and start a new one with it. A sentence longer than `max_chars` on its own is
    cut into ``fixed_size_chunks(sentence, max_chars)``, each piece a chunk of its own. The chunks
    concatenate to exactly `text`, and no chunk could have taken the first sentence of the next one.

    >>> sentence_chunks("One. Two. Three. Four is long.", 10)
    ['One. Two. ', 'Three. ', 'Four is lo', 'ng.']

    Raises ValueError for ``max_chars < 1``. Cost: O(n).
    """
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ValueError(f"max_chars must be a positive integer, got {max_chars!r}")
    chunks: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        if len(current) + len(sentence) <= max_chars:
            current += sentence
            continue
        if current:
            chunks.append(current)
        if len(sentence) <= max_chars:
            current = sentence
        else:  # unavoidable: the sentence alone does not fit
            chunks.extend(fixed_size_chunks(sentence, max_chars))
            current = ""
    if current:
        chunks.append(current)
    return chunks


def _heading(line: str) -> tuple[int, str] | None:
    """(level, title) if `line` is an ATX heading ("## Title ##" -> (2, "Title")), else None."""
    match = _HEADING.match(line.rstrip("\r\n"))
    if match is None:
        return None
    title = re.sub(r"(?:^|[ \t]+)#+$", "", (match.group(2) or "").strip()).strip()
    return len(match.group(1)), title


def markdown_chunks(text: str, max_chars: int | None = None) -> list[Chunk]:
    """Chunks of a Markdown document, one section per heading, each with its heading path.

    A section runs from a heading line to the line before the next heading (of any level); text before
    the first heading is a section with no headings (when it holds a visible character; whitespace alone
    is glued to the first section; a text without a visible character has no chunks). Lines inside
    fenced code blocks (``` or ~~~) are never headings, so a ``# comment`` in a code block stays a
    comment. The heading path of a level-L heading is the path of the nearest enclosing heading of a
    lower level, plus its own title.

    With `max_chars`, a longer section is cut with ``sentence_chunks(section, max_chars)``; every piece
    keeps the section's path. The chunk texts concatenate to exactly `text`.

    >>> [(c.headings, c.text) for c in markdown_chunks("# A\\nx\\n## B\\ny\\n# C\\n")]
    [(('A',), '# A\\nx\\n'), (('A', 'B'), '## B\\ny\\n'), (('C',), '# C\\n')]

    Raises ValueError for ``max_chars < 1``. Cost: O(n).
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1):
        raise ValueError(f"max_chars must be a positive integer or None, got {max_chars!r}")
    if not text.strip():
        return []
    sections: list[tuple[tuple[str, ...], str]] = []  # (path, text)
    stack: list[tuple[int, str]] = []  # open headings (level, title), outermost first
    current_path: tuple[str, ...] = ()
    current: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        marker = _FENCE.match(line)
        if fence is None and marker:
            fence = marker.group(1)
        elif fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif (found := _heading(line)) is not None:
            level, title = found
            if current:
                sections.append((current_path, "".join(current)))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            current_path, current = tuple(t for _, t in stack), []
        current.append(line)
    if current:
        sections.append((current_path, "".join(current)))
    if len(sections) > 1 and sections[0][0] == () and not sections[0][1].strip():
        (_, blank), (path, body) = sections[0], sections[1]  # whitespace-only preamble: glue it on
        sections[:2] = [(path, blank + body)]
    chunks = []
    for path, body in sections:
        pieces = [body] if max_chars is None or len(body) <= max_chars else sentence_chunks(body, max_chars)
        chunks.extend(Chunk(piece, path) for piece in pieces)
    return chunks
