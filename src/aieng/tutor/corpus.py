"""What the tutor searches: every lesson cut into Markdown-aware chunks, every glossary term, every summary.

A `Doc` is one searchable passage with where it came from (exercise id, lesson title, heading path) and
the text that gets embedded. The embedded text carries its context: a chunk that only says "the formula
overflows" is embedded as "Vector norms > Numerics: scale first" plus the chunk, so a question that names
the topic finds it (contextual chunk headers).

`fingerprint(root)` hashes the raw course files the tutor reads (lessons, exercise.toml, glossary.toml,
roadmap and stage files), without running the course loader, so a cached index is recognized in
milliseconds; any edit to a lesson or to the glossary changes it and triggers a rebuild.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from aieng.course import Course
from aieng.lib.genai.chunking import markdown_chunks

MAX_CHARS = 800  # chunk size: about 150-250 word pieces, inside MiniLM's 256-piece window
MIN_BODY_CHARS = 20  # a chunk with less than this beyond its heading line says nothing on its own
INDEX_VERSION = "tutor-index-1"  # bump when the way documents are built changes


@dataclass(frozen=True)
class Doc:
    """One searchable passage."""

    text: str  # shown to the learner (and to the generator)
    exercise_id: str | None  # the lesson it belongs to (a glossary term: the first lesson that teaches it)
    title: str  # that lesson's title ("Glossary" for a term no lesson teaches)
    heading: str  # heading path inside the lesson, or "Glossary: <term>" / "Summary"
    kind: str  # "lesson", "glossary" or "summary"
    embed_text: str  # what is embedded: the text with its title and heading in front

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _body_length(text: str) -> int:
    """Visible characters outside heading lines."""
    return sum(len(line.strip()) for line in text.splitlines() if not line.lstrip().startswith("#"))


def lesson_docs(course: Course, max_chars: int = MAX_CHARS) -> list[Doc]:
    """Every lesson, chunked by headings (sections longer than `max_chars` packed by sentences)."""
    docs = []
    for exercise in course.exercises:
        for chunk in markdown_chunks(exercise.lesson(), max_chars):
            if _body_length(chunk.text) < MIN_BODY_CHARS:
                continue
            inner = chunk.headings[1:] if len(chunk.headings) > 1 else chunk.headings
            heading = " > ".join(inner)
            context = exercise.title if not heading or heading == exercise.title else f"{exercise.title} > {heading}"
            text = chunk.text.strip()
            docs.append(Doc(text, exercise.id, exercise.title, heading, "lesson", f"{context}\n{text}"))
    return docs


def summary_docs(course: Course) -> list[Doc]:
    """One passage per exercise: its title and one-line summary (what the lesson is about, in a sentence)."""
    return [Doc(f"{ex.title}: {ex.summary}", ex.id, ex.title, "Summary", "summary", f"{ex.title}: {ex.summary}")
            for ex in course.exercises]


def glossary_docs(course: Course) -> list[Doc]:
    """One passage per glossary term, linked to the first lesson that teaches it (if any)."""
    titles = {ex.id: ex.title for ex in course.exercises}
    docs = []
    for term in course.glossary:
        lesson = next((lesson for lesson in term.lessons if lesson in titles), None)
        text = f"{term.term}: {term.definition}"
        docs.append(Doc(text, lesson, titles.get(lesson, "Glossary") if lesson else "Glossary",
                        f"Glossary: {term.term}", "glossary", text))
    return docs


def course_docs(course: Course) -> list[Doc]:
    """Everything the tutor searches, in a fixed order: lessons, then summaries, then glossary terms."""
    return lesson_docs(course) + summary_docs(course) + glossary_docs(course)


def fingerprint(root: Path) -> str:
    """sha256 of the course files the tutor reads (paths and bytes), plus INDEX_VERSION and the chunk size."""
    digest = hashlib.sha256(f"{INDEX_VERSION}/{MAX_CHARS}/{MIN_BODY_CHARS}".encode())
    patterns = ("roadmap.toml", "glossary.toml", "*/stage.toml", "*/*/exercise.toml", "*/*/lesson.md")
    files = sorted({p for pattern in patterns for p in root.glob(pattern)})
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
