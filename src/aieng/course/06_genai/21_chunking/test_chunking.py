"""Checks for `chunking`, against brute force written plainly here: a while-loop of windows, a
character-by-character scan of the three sentence rules, greedy packing, and a stack of headings, on text
that hypothesis generates (random characters, sentences built to known boundaries, Markdown documents with
code fences). Chunks are slices of the input, so every comparison is exact string equality.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect

CLOSERS = "\"')]”’"
OPENERS = "\"'([“‘"
CAPITALS_AND_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


# ----------------------------------------------------------------------------- brute-force oracles


def brute_windows(seq, size, overlap):
    """The windows, one by one, with a while loop."""
    windows, start = [], 0
    while len(seq) > 0:
        windows.append(seq[start:start + size])
        if start + size >= len(seq):
            break
        start += size - overlap
    return windows


def brute_sentences(text):
    """The three sentence rules, scanning character by character (no regular expression)."""
    if not text.strip():
        return []
    n, i, last, pieces = len(text), 0, 0, []

    def cut(at):
        nonlocal last
        if text[last:at].strip():  # rule 3: ignore a boundary with only whitespace before it
            pieces.append(text[last:at])
            last = at

    while i < n:
        if text[i] in ".!?":  # rule 1
            j = i
            while j < n and text[j] in ".!?":
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            w = j
            while w < n and text[w].isspace():
                w += 1
            nxt = text[w] if w < n else ""
            after = text[w + 1] if w + 1 < n else ""
            starts = nxt != "" and (nxt in CAPITALS_AND_DIGITS or (nxt in OPENERS and after != ""
                                                                   and after in CAPITALS_AND_DIGITS))
            if w > j and starts:
                cut(w)
                i = w
            else:
                i = j
            continue
        if text[i] == "\n":  # rule 2: newline, spaces or tabs, newline, then all the whitespace after
            j = i + 1
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j] == "\n":
                w = j + 1
                while w < n and text[w].isspace():
                    w += 1
                cut(w)
                i = w
                continue
        i += 1
    if last < n:
        pieces.append(text[last:])
    return pieces


def brute_pack(text, max_chars):
    """Greedy packing of the brute-force sentences."""
    chunks, current = [], ""
    for sentence in brute_sentences(text):
        if len(current) + len(sentence) <= max_chars:
            current += sentence
        else:
            if current:
                chunks.append(current)
            current = ""
            if len(sentence) <= max_chars:
                current = sentence
            else:
                chunks.extend(brute_windows(sentence, max_chars, 0))
    if current:
        chunks.append(current)
    return chunks


def as_pairs(chunks):
    """(headings, text) of each chunk, with a clear message if the objects look wrong."""
    expect(isinstance(chunks, list), f"markdown_chunks should return a list, got {type(chunks).__name__}")
    pairs = []
    for chunk in chunks:
        expect(hasattr(chunk, "text") and hasattr(chunk, "headings"),
               f"each chunk should be a Chunk(text, headings), got {chunk!r}")
        pairs.append((tuple(chunk.headings), chunk.text))
    return pairs


# ----------------------------------------------------------------------------- strategies

ALPHABET = "abcAB1 .!?\n\t\"')("
WORDS = ["norm", "vector", "the", "of", "3.5", "e.g. the", "x", "gradient", "loss", "it", "is"]
FIRST_WORDS = ["The", "A", "Norms", "3", "Gradients", "\"Why", "(See", "X"]
ENDINGS = [".", "!", "?", "...", "?!", ".\"", ".)", "!'"]
GAPS = [" ", "  ", "\n", " \n  ", "\n\n", "\t"]
seeds = st.integers(0, 2**32 - 1).map(random.Random)  # cheap to draw; hypothesis still shrinks the seed


def make_sentence(rng):
    """A sentence that ends where rule 1 says, with the whitespace gap after it."""
    words = [rng.choice(FIRST_WORDS)] + [rng.choice(WORDS) for _ in range(rng.randint(0, 8))]
    return " ".join(words) + rng.choice(ENDINGS) + rng.choice(GAPS)


def make_sentences(rng):
    """Sentences whose boundaries are known by construction (their concatenation is the test text)."""
    parts = [make_sentence(rng) for _ in range(rng.randint(1, 8))]
    parts[-1] = parts[-1].rstrip() + rng.choice(["", " ", "\n"])
    return parts


def make_markdown(rng):
    """A Markdown document and its expected (headings, section text) list, built section by section."""
    sections, stack = [], []
    preamble = rng.choice(["", "\n", "Intro text. More of it.\n\n", "  \n"])
    for _ in range(rng.randint(1, 6)):
        level = rng.randint(1, 4)
        title = " ".join(rng.choice(["Norms", "the", "p-norm", "Pitfalls", "2"]) for _ in range(rng.randint(1, 3)))
        lines = [f"{'#' * level} {title}{rng.choice(['', ' ##', ' #'])}\n"]
        for _ in range(rng.randint(0, 3)):
            kind = rng.choice(["paragraph", "paragraph", "code", "blank"])
            if kind == "paragraph":
                lines.append("".join(make_sentence(rng) for _ in range(rng.randint(1, 4))).rstrip() + "\n")
            elif kind == "code":
                fence = rng.choice(["```", "~~~", "````"])
                lines.append(f"{fence}python\n# a comment, not a heading\nx = 1  # two\n## neither\n{fence}\n")
            else:
                lines.append("\n")
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        sections.append((tuple(t for _, t in stack), "".join(lines)))
    if preamble.strip():
        sections.insert(0, ((), preamble))
    else:
        sections[0] = (sections[0][0], preamble + sections[0][1])
    return "".join(text for _, text in sections), sections


known_sentences = seeds.map(make_sentences)
markdown_documents = seeds.map(make_markdown)


# ----------------------------------------------------------------------------- fixed-size windows


@given(st.text(alphabet="abcdefgh .\n", max_size=60), st.integers(1, 12), st.data())
def test_fixed_windows_match_brute_force_on_text(impl, text, size, data):
    """fixed_size_chunks(text, size, overlap) gives exactly the windows starting every size - overlap characters,
    the last one being the first that reaches the end."""
    overlap = data.draw(st.integers(0, size - 1), label="overlap")
    got = impl.fixed_size_chunks(text, size, overlap)
    expect(got == brute_windows(text, size, overlap),
           f"fixed_size_chunks({text!r}, {size}, overlap={overlap}) gave {got!r}, expected "
           f"{brute_windows(text, size, overlap)!r}")


@given(st.text(alphabet="abcdef \n", min_size=1, max_size=80), st.integers(1, 10), st.data())
def test_fixed_windows_rebuild_the_text_and_respect_the_size(impl, text, size, data):
    """The first window plus every later window minus its first `overlap` characters is the text again, and every
    window but the last has exactly `size` characters."""
    overlap = data.draw(st.integers(0, size - 1), label="overlap")
    got = impl.fixed_size_chunks(text, size, overlap)
    expect(len(got) >= 1, f"a non-empty text must give at least one window, got {got!r}")
    rebuilt = got[0] + "".join(window[overlap:] for window in got[1:])
    expect(rebuilt == text, f"the windows minus their overlaps rebuild {rebuilt!r}, not the text {text!r}")
    expect(all(len(w) == size for w in got[:-1]) and 1 <= len(got[-1]) <= size,
           f"window lengths {[len(w) for w in got]} for size {size}: all but the last must be exactly {size}")


@given(st.lists(st.integers(0, 50_000), max_size=40), st.integers(1, 8), st.data())
def test_fixed_windows_cut_token_lists_too(impl, tokens, size, data):
    """A list of token ids is cut the same way, and the windows are lists."""
    overlap = data.draw(st.integers(0, size - 1), label="overlap")
    got = impl.fixed_size_chunks(tokens, size, overlap)
    expect(got == brute_windows(tokens, size, overlap) and all(isinstance(w, list) for w in got),
           f"fixed_size_chunks({tokens!r}, {size}, overlap={overlap}) gave {got!r}, expected "
           f"{brute_windows(tokens, size, overlap)!r} (lists of ids)")


def test_fixed_windows_worked_example_and_empty_input(impl):
    """The lesson's example ("abcdefgh", size 4, overlap 1 -> abcd, defg, gh) and an empty input (no windows)."""
    got = impl.fixed_size_chunks("abcdefgh", 4, overlap=1)
    expect(got == ["abcd", "defg", "gh"], f"expected ['abcd', 'defg', 'gh'], got {got!r}")
    expect(impl.fixed_size_chunks("", 3) == [], "an empty text has no windows")
    expect(impl.fixed_size_chunks("abc", 5) == ["abc"], "a text shorter than size is one window")


def test_fixed_windows_reject_bad_sizes(impl):
    """size < 1, a negative overlap, or an overlap >= size raise ValueError (the step would not move forward)."""
    assert_raises_value_error(impl.fixed_size_chunks, "abc", 0, why="size must be at least 1")
    assert_raises_value_error(impl.fixed_size_chunks, "abc", 3, 3, why="overlap must be smaller than size")
    assert_raises_value_error(impl.fixed_size_chunks, "abc", 3, -1, why="overlap cannot be negative")


# ----------------------------------------------------------------------------- sentences


@given(known_sentences)
def test_sentences_built_to_known_boundaries_are_recovered(impl, parts):
    """Text made of sentences ending in . ! ? (with closing quotes or brackets) and a whitespace gap splits back into
    exactly those sentences, each with its trailing whitespace; '3.5' and 'e.g.' before a lower-case word never
    split."""
    text = "".join(parts)
    got = impl.split_sentences(text)
    expect(got == parts, f"split_sentences({text!r}) gave {got!r}, expected {parts!r}")


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_sentence_rules_match_a_character_scan(impl, text):
    """On random text, split_sentences follows the three rules exactly as a plain character-by-character scan
    does (the scan is in this test file), and the sentences join back to the text."""
    got = impl.split_sentences(text)
    want = brute_sentences(text)
    expect(got == want, f"split_sentences({text!r}) gave {got!r}, expected {want!r}")


def test_sentence_examples(impl):
    """The docstring example, a blank line between lower-case paragraphs, leading whitespace, and blank text."""
    cases = {
        "It works. Does it? Yes!  3 tests pass.": ["It works. ", "Does it? ", "Yes!  ", "3 tests pass."],
        "one idea\n\nanother idea": ["one idea\n\n", "another idea"],
        "\n\n  Hello there. (Then) more.": ["\n\n  Hello there. ", "(Then) more."],
        "Costs 3.5 dollars. ok? fine": ["Costs 3.5 dollars. ok? fine"],
        "   \n\n ": [],
    }
    for text, want in cases.items():
        got = impl.split_sentences(text)
        expect(got == want, f"split_sentences({text!r}) gave {got!r}, expected {want!r}")


# ----------------------------------------------------------------------------- sentence chunks


@given(known_sentences, st.integers(5, 90))
def test_sentence_chunks_pack_greedily(impl, parts, max_chars):
    """sentence_chunks packs whole sentences greedily: each chunk within max_chars, the chunks join back to the
    text, and a sentence is cut only when it alone is longer than max_chars (compared with brute-force packing)."""
    text = "".join(parts)
    got = impl.sentence_chunks(text, max_chars)
    want = brute_pack(text, max_chars)
    expect("".join(got) == text, f"the chunks {got!r} do not join back to the text {text!r}")
    expect(all(len(c) <= max_chars for c in got), f"a chunk is longer than {max_chars}: {[len(c) for c in got]}")
    expect(got == want, f"sentence_chunks({text!r}, {max_chars}) gave {got!r}, expected {want!r}")


def test_sentence_chunks_worked_example_and_bad_size(impl):
    """The lesson's example packs 'It works. Does it? ' together; max_chars < 1 raises ValueError."""
    got = impl.sentence_chunks("It works. Does it? Yes!  3 tests pass.", 20)
    expect(got == ["It works. Does it? ", "Yes!  3 tests pass."], f"got {got!r}")
    assert_raises_value_error(impl.sentence_chunks, "A. B.", 0, why="a chunk must hold at least one character")


# ----------------------------------------------------------------------------- Markdown


@given(markdown_documents)
def test_markdown_sections_carry_their_heading_paths(impl, case):
    """Each heading starts a section, the heading path follows the nesting (a heading pops every open heading of
    its level or deeper), '#' lines inside code fences are not headings, and the chunks rebuild the document."""
    text, sections = case
    got = as_pairs(impl.markdown_chunks(text))
    expect("".join(t for _, t in got) == text, "the chunk texts do not join back to the document")
    expect(got == sections, f"markdown_chunks gave {got!r}\nexpected {sections!r}\nfor the document {text!r}")


@given(markdown_documents, st.integers(20, 120))
def test_long_markdown_sections_are_packed_by_sentences(impl, case, max_chars):
    """With max_chars, a longer section becomes sentence_chunks(section, max_chars), every piece keeping the
    section's headings; shorter sections stay whole."""
    text, sections = case
    want = [(path, piece) for path, body in sections
            for piece in ([body] if len(body) <= max_chars else brute_pack(body, max_chars))]
    got = as_pairs(impl.markdown_chunks(text, max_chars))
    expect(all(len(t) <= max_chars for _, t in got), f"a chunk is longer than {max_chars}")
    expect(got == want, f"markdown_chunks(..., {max_chars}) gave {got!r}\nexpected {want!r}")


def test_markdown_heading_details(impl):
    """Closing #'s are not part of the title, '#tag' and a 4-space indented '#' are not headings, and a heading
    of a higher level after a deep one pops back out."""
    text = "# Top ##\nbody\n#tag is text\n    # indented code\n### Deep\nx\n## Mid\ny\n"
    got = as_pairs(impl.markdown_chunks(text))
    want = [(("Top",), "# Top ##\nbody\n#tag is text\n    # indented code\n"), (("Top", "Deep"), "### Deep\nx\n"),
            (("Top", "Mid"), "## Mid\ny\n")]
    expect(got == want, f"markdown_chunks gave {got!r}, expected {want!r}")
    expect(as_pairs(impl.markdown_chunks(" \n")) == [], "a document with no visible character has no chunks")
    assert_raises_value_error(impl.markdown_chunks, "# A\n", 0, why="max_chars must be at least 1")
