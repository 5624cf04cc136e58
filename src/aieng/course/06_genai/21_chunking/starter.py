"""Chunking documents for retrieval — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check chunking`.

Every chunker returns slices of the input (never rewritten text), so the input can be rebuilt exactly.

The sentence rules (split_sentences):
1. A sentence ends after a run of `.`, `!` or `?`, optionally followed by closing quotes or brackets
   (" ' ) ] ” ’), when whitespace follows and the next visible character is an ASCII capital letter, a digit,
   or an opening quote or bracket (" ' ( [ “ ‘).
2. A blank line (newline, optional spaces or tabs, newline) always ends a sentence.
3. The whitespace after a boundary belongs to the sentence before it (the sentences join back to the text);
   a boundary with only whitespace before it is ignored. Text without a visible character has no sentences.

(No `from __future__ import annotations` here: the tests load this file without registering it as a module,
and a dataclass with string annotations needs that.)
"""

import re  # noqa: F401  (you will want it)
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

S = TypeVar("S", bound=Sequence)


@dataclass(frozen=True)
class Chunk:
    """A passage of a Markdown document (given, nothing to write here).

    text: the exact slice of the document; headings: the titles of the headings it sits under, outermost
    first, e.g. ("Vector norms", "Pitfalls"); () before the first heading.
    """

    text: str
    headings: tuple[str, ...] = ()


def fixed_size_chunks(seq: S, size: int, overlap: int = 0) -> list[S]:
    """Windows seq[start:start + size] for start = 0, size - overlap, 2 (size - overlap), ...

    The last window is the first one that reaches the end (start + size >= len(seq)); an empty input has
    none. `seq` is a str (characters) or a list/tuple (token ids): the windows have the same type.
    Example: fixed_size_chunks("abcdefgh", 4, overlap=1) == ["abcd", "defg", "gh"].
    Raise ValueError unless size >= 1 and 0 <= overlap < size (both integers).
    """
    raise NotImplementedError


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` by the three rules above; "".join(result) == text whenever text has a visible
    character. Example: split_sentences("It works. Does it? Yes!  3 tests pass.") ==
    ["It works. ", "Does it? ", "Yes!  ", "3 tests pass."].
    """
    raise NotImplementedError


def sentence_chunks(text: str, max_chars: int) -> list[str]:
    """Whole sentences (from split_sentences) packed greedily into chunks of at most `max_chars` characters.

    Add each sentence to the current chunk if the result stays within max_chars; otherwise close the chunk
    (if not empty) and start a new one with the sentence. A sentence longer than max_chars on its own goes out
    as fixed_size_chunks(sentence, max_chars), each piece a chunk, and the next sentence starts a fresh chunk.
    "".join(result) == text. Raise ValueError if max_chars < 1.
    """
    raise NotImplementedError


def markdown_chunks(text: str, max_chars: int | None = None) -> list[Chunk]:
    """One Chunk per Markdown section, with its heading path.

    - A heading is a line of 0-3 spaces, 1-6 `#`, then a space/tab or the end of the line, outside fenced code
      blocks (a line starting, after 0-3 spaces, with ``` or ~~~ opens a fence; a line starting with at least
      as many of the same character closes it). Its title is the rest of the line, stripped, without a closing
      run of `#` ("## Title ##" -> "Title").
    - A section runs from a heading line to the line before the next heading. Text before the first heading is a
      section with headings () if it has a visible character; if it is only whitespace it is glued to the front of
      the first section.
    - The headings of a level-L heading: the open headings of lower level (outermost first), then its own title.
    - With max_chars, a section longer than max_chars becomes sentence_chunks(section, max_chars), each piece
      keeping the section's headings.
    "".join(c.text for c in result) == text; a text without a visible character gives [].
    Raise ValueError if max_chars is given and < 1.
    """
    raise NotImplementedError
