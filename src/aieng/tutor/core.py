"""The tutor: retrieval-augmented answers over the course's own lessons and glossary.

    tutor = Tutor()                      # the packaged course (or $AIENG_COURSE_DIR)
    tutor.build_index()                  # embeds once (minutes on a CPU), then loads from the cache (< 1 s)
    tutor.search("why does my loss explode?", k=5)  -> [Passage(text, exercise_id, title, heading, score), ...]
    tutor.answer("why does my loss explode?")       -> TutorAnswer(passages, text, generator_label, citations)

Retrieval: every lesson cut by headings (aieng.lib.genai.chunking), every exercise summary and glossary
term, embedded with the packaged all-MiniLM-L6-v2 model (aieng.tutor.embedder); the question is embedded
the same way and the exact cosine index (aieng.lib.genai.retrieval.ExactIndex) returns the top k. Two
thousand passages need no approximate index.

Generation (aieng.tutor.generators): an OpenAI-compatible endpoint if AIENG_LLM_URL is set, else the
course's own GPT if a trained checkpoint exists (labelled a toy), else passages only. The endpoint runs
the agentic loop of aieng.lib.genai.rag: grounded prompt with numbered passages, optionally one more
search the model asks for, citations parsed and checked.

Cache: ``<cache_dir>/index-<key>.npz`` (float32 embeddings) and ``.json`` (the passages), where the key
hashes the course files, the chunking settings and the model; ``cache_dir`` defaults to
``aieng.datasets.shakespeare.cache_dir() / "tutor"`` ($AIENG_DATA_DIR, else ~/.cache/aieng).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from aieng.course import COURSE_DIR_ENV, Course
from aieng.course.loader import COURSE_ROOT
from aieng.lib.genai.rag import agentic_answer
from aieng.lib.genai.retrieval import ExactIndex
from aieng.tutor.corpus import Doc, course_docs, fingerprint
from aieng.tutor.embedder import MiniLMEmbedder, model_fingerprint
from aieng.tutor.generators import Generator, pick_generator

Embedder = Callable[..., np.ndarray]  # embed(texts, progress=..., description=...) -> (n, d) unit rows


def default_cache_dir() -> Path:
    """aieng.datasets.shakespeare.cache_dir() / "tutor": $AIENG_DATA_DIR/tutor, else ~/.cache/aieng/tutor."""
    from aieng.datasets.shakespeare import cache_dir

    return cache_dir() / "tutor"


@dataclass(frozen=True)
class Passage:
    """A retrieved passage, with where it comes from and its cosine similarity to the question."""

    text: str
    exercise_id: str | None
    title: str
    heading: str
    score: float
    kind: str = "lesson"  # "lesson", "summary" or "glossary"

    @property
    def url(self) -> str:
        """Its page in the web UI: the lesson, or the glossary filtered to the term."""
        if self.exercise_id:
            return f"/exercises/{self.exercise_id}"
        return f"/glossary?q={quote(self.heading.removeprefix('Glossary: '))}"

    @property
    def source(self) -> str:
        """'Lesson title > heading' (what a citation points to)."""
        return f"{self.title} > {self.heading}" if self.heading and self.heading != self.title else self.title

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "url": self.url, "source": self.source}


@dataclass(frozen=True)
class TutorAnswer:
    """What the tutor says: the passages (numbered 1.. as in the prompt), the generated text if any, and the
    checked citations."""

    question: str
    passages: tuple[Passage, ...]
    text: str | None  # the generator's reply as it came (None: passages only, or the generator failed)
    generator_label: str  # who wrote `text`: the endpoint and model, "toy model: ...", or "passages only"
    citations: tuple[int, ...] = ()  # passage numbers (1-based) cited by supported claims, first citation order
    unsupported: tuple[str, ...] = ()  # claims of `text` citing no retrieved passage
    invalid_citations: tuple[int, ...] = ()  # cited numbers that name no passage (invented sources)
    searches: tuple[str, ...] = ()  # the queries retrieved for (the question, then any the model asked for)
    error: str | None = None  # why the generator gave no text, if it failed

    @property
    def grounded(self) -> bool:
        """A text whose every claim cites a retrieved passage, with no invented citation."""
        return bool(self.text) and bool(self.citations) and not self.unsupported and not self.invalid_citations

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (for the web UI)."""
        data = asdict(self)
        data["passages"] = [p.to_dict() for p in self.passages]
        data["grounded"] = self.grounded
        return data

    def to_markdown(self) -> str:
        """The answer as Markdown (the CLI prints it with rich.markdown.Markdown; links use `aieng show ID`)."""
        lines = [f"**Q:** {self.question}", ""]
        if self.text is not None:
            lines += [f"**Answer** ({self.generator_label}):", "", self.text.strip(), ""]
            if self.unsupported:
                lines += ["*Not backed by a cited passage:* " + " / ".join(self.unsupported), ""]
            if self.invalid_citations:
                lines += ["*Cites passages that do not exist:* " + ", ".join(f"[{n}]" for n in self.invalid_citations),
                          ""]
        elif self.error:
            lines += [f"*No answer from {self.generator_label}: {self.error}*", ""]
        else:
            lines += ["*No generator configured (set AIENG_LLM_URL for answers): the most relevant passages.*", ""]
        lines.append("**Passages**")
        lines.append("")
        for n, p in enumerate(self.passages, start=1):
            where = f"`aieng show {p.exercise_id}`" if p.exercise_id else "`aieng glossary`"
            lines.append(f"{n}. **{p.source}** ({where}, score {p.score:.2f})")
            snippet = " ".join(p.text.split())
            lines.append(f"   {snippet[:400]}{'…' if len(snippet) > 400 else ''}")
        return "\n".join(lines)


def _course_root(course: Course | str | os.PathLike[str] | None) -> Path:
    if isinstance(course, Course):
        return Path(course.root)
    if course is not None:
        return Path(course).resolve()
    return Path(os.environ.get(COURSE_DIR_ENV) or COURSE_ROOT).resolve()


class Tutor:
    """RAG over the course's lessons and glossary. Cheap to construct; `build_index` does the work once."""

    def __init__(self, course: Course | str | os.PathLike[str] | None = None, *,
                 cache_dir: str | os.PathLike[str] | None = None, embedder: Any = None,
                 workspace: str | os.PathLike[str] | None = None, progress: bool = True) -> None:
        self._course = course if isinstance(course, Course) else None
        self.root = _course_root(course)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.embedder = embedder if embedder is not None else MiniLMEmbedder()
        self.workspace = Path(workspace) if workspace is not None else None
        self.progress = progress
        self.docs: list[Doc] = []
        self.embeddings = np.zeros((0, 0), dtype=np.float32)
        self.loaded_from_cache = False
        self._index: ExactIndex | None = None

    # ------------------------------------------------------------------ the index

    def _model_id(self) -> str:
        fingerprint_of = getattr(self.embedder, "fingerprint", None)
        return fingerprint_of() if callable(fingerprint_of) else (
            model_fingerprint() if isinstance(self.embedder, MiniLMEmbedder) else type(self.embedder).__name__)

    def cache_key(self) -> str:
        """Hash of the course files, the chunking settings and the embedding model."""
        return hashlib.sha256(f"{fingerprint(self.root)}|{self._model_id()}".encode()).hexdigest()[:24]

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.cache_dir / f"index-{key}.npz", self.cache_dir / f"index-{key}.json"

    def build_index(self, force: bool = False) -> Tutor:
        """Load the index from the cache if the course and model are unchanged, else build it and cache it.

        Building embeds only passages whose text no earlier index in the cache folder holds (same model), so
        after editing a lesson only its changed chunks are embedded again. `force` skips the ready index.
        """
        key = self.cache_key()
        vectors_path, docs_path = self._paths(key)
        if not force and vectors_path.exists() and docs_path.exists():
            try:
                docs = [Doc(**d) for d in json.loads(docs_path.read_text(encoding="utf-8"))["docs"]]
                with np.load(vectors_path) as saved:
                    embeddings = saved["embeddings"]
                if len(docs) == len(embeddings):
                    self._use(docs, embeddings, from_cache=True)
                    return self
            except (OSError, ValueError, KeyError, TypeError):  # a damaged cache: rebuild it
                pass
        from aieng.course import load

        course = self._course or load(self.root)
        docs = course_docs(course)
        known = self._reusable_vectors()  # passages an earlier index already embedded (same model, same text)
        todo = list(dict.fromkeys(d.embed_text for d in docs if d.embed_text not in known))
        if todo:
            fresh = np.asarray(self.embedder.embed(todo, progress=self.progress,
                                                   description=f"embedding {len(todo)} course passages"),
                               dtype=np.float32)
            known.update(zip(todo, fresh, strict=True))
        embeddings = np.stack([known[d.embed_text] for d in docs]).astype(np.float32)
        self._save(key, docs, embeddings)
        self._use(docs, embeddings, from_cache=False)
        return self

    def _reusable_vectors(self) -> dict[str, np.ndarray]:
        """embed_text -> vector from the indexes already in the cache folder that used the same model: editing one
        lesson re-embeds only its changed chunks."""
        model, known = self._model_id(), {}
        for docs_path in sorted(self.cache_dir.glob("index-*.json")):
            vectors_path = docs_path.with_suffix(".npz")
            try:
                meta = json.loads(docs_path.read_text(encoding="utf-8"))
                if meta.get("model") != model or not vectors_path.exists():
                    continue
                with np.load(vectors_path) as saved:
                    vectors = saved["embeddings"]
                if len(vectors) == len(meta["docs"]):
                    known.update((d["embed_text"], v) for d, v in zip(meta["docs"], vectors, strict=True))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return known

    def _save(self, key: str, docs: Sequence[Doc], embeddings: np.ndarray) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        vectors_path, docs_path = self._paths(key)
        for old in self.cache_dir.glob("index-*"):  # one index per cache folder: drop stale ones
            if old not in (vectors_path, docs_path):
                old.unlink(missing_ok=True)
        tmp_vectors = vectors_path.with_suffix(".tmp.npz")
        np.savez(tmp_vectors, embeddings=embeddings)
        tmp_vectors.replace(vectors_path)
        meta = {"key": key, "model": self._model_id(), "course": str(self.root), "docs": [d.to_dict() for d in docs]}
        tmp_docs = docs_path.with_suffix(".tmp")
        tmp_docs.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp_docs.replace(docs_path)

    def _use(self, docs: list[Doc], embeddings: np.ndarray, from_cache: bool) -> None:
        self.docs, self.embeddings, self.loaded_from_cache = docs, embeddings, from_cache
        self._index = ExactIndex(embeddings.shape[1])
        self._index.add(np.arange(len(docs)), embeddings)

    # ------------------------------------------------------------------ retrieval

    def search(self, question: str, k: int = 5) -> list[Passage]:
        """The k passages most similar to the question (cosine of MiniLM embeddings), best first."""
        if not isinstance(question, str) or not question.strip():
            raise ValueError("ask a question: the text is empty")
        if self._index is None:
            self.build_index()
        assert self._index is not None
        query = self.embedder.embed([" ".join(question.split())])
        keys, scores = self._index.search(query, k)
        return [self._passage(int(key), float(score)) for key, score in zip(keys[0], scores[0], strict=True)]

    def _passage(self, key: int, score: float) -> Passage:
        d = self.docs[key]
        return Passage(d.text, d.exercise_id, d.title, d.heading, score, d.kind)

    # ------------------------------------------------------------------ answers

    def generator(self) -> Generator | None:
        """The endpoint of AIENG_LLM_URL, else the course's trained GPT (a toy), else None."""
        return pick_generator(self.workspace)

    def answer(self, question: str, k: int = 5, max_steps: int = 2,
               generator: Generator | str | None = "auto") -> TutorAnswer:
        """Passages for `question` and, where a generator is available, a grounded answer with checked citations.

        With an endpoint, the agentic loop may run one more search if the model asks for it (max_steps
        retrievals in all); passages are numbered as in the final prompt. `generator="auto"` picks one;
        None forces passages only; any callable with a `label` is used as given.
        """
        first = self.search(question, k)
        chosen = self.generator() if generator == "auto" else generator
        if chosen is None:
            return TutorAnswer(question, tuple(first), None, "passages only")
        found: dict[str, Passage] = {}

        def retrieve(query: str) -> list[tuple[str, str]]:
            passages = first if query == question else self.search(query, k)
            for p in passages:
                found.setdefault(self._passage_id(p), p)
            return [(self._passage_id(p), f"({p.source}) {p.text}") for p in passages]

        steps = max_steps if not str(getattr(chosen, "label", "")).startswith("toy") else 1
        try:
            result = agentic_answer(question, retrieve, chosen, max_steps=steps)
        except Exception as exc:  # an unreachable or failing endpoint: still show the passages
            return TutorAnswer(question, tuple(first), None, getattr(chosen, "label", "generator"),
                               error=f"{type(exc).__name__}: {exc}")
        passages = tuple(found[pid] for pid, _ in result.passages)
        searches = tuple(step.query for step in result.steps)
        label = getattr(chosen, "label", "generator")
        if result.answer is None:
            return TutorAnswer(question, passages, None, label, searches=searches,
                               error=f"no answer within {steps} searches (the model kept asking for more)")
        ids = [pid for pid, _ in result.passages]
        citations = tuple(ids.index(pid) + 1 for pid in result.answer.cited_ids)
        return TutorAnswer(question, passages, result.reply, label, citations, result.answer.unsupported,
                           result.answer.invalid, searches)

    def _passage_id(self, passage: Passage) -> str:
        digest = hashlib.sha1(passage.text.encode()).hexdigest()[:8]
        return f"{passage.exercise_id or 'glossary'}#{passage.heading}#{digest}"


@dataclass
class _Default:
    tutor: Tutor | None = None
    settings: tuple[Any, ...] = field(default=())


_DEFAULT = _Default()
_LOCK = threading.Lock()  # the web UI may ask from several threads; build the index once


def get_tutor(course: Course | str | os.PathLike[str] | None = None, *, workspace: str | os.PathLike[str] | None = None,
              progress: bool = True) -> Tutor:
    """A process-wide Tutor with its index built (reused while the course root and workspace stay the same)."""
    settings = (_course_root(course), str(workspace) if workspace else None)
    with _LOCK:
        if _DEFAULT.tutor is None or _DEFAULT.settings != settings:
            _DEFAULT.tutor = Tutor(course, workspace=workspace, progress=progress)
            _DEFAULT.settings = settings
        if _DEFAULT.tutor._index is None:
            _DEFAULT.tutor.build_index()
        return _DEFAULT.tutor


def ask(question: str, k: int = 5, *, course: Course | str | os.PathLike[str] | None = None,
        workspace: str | os.PathLike[str] | None = None, progress: bool = True) -> TutorAnswer:
    """One call for the CLI and the web UI: build or load the index, retrieve, and answer if a generator exists."""
    return get_tutor(course, workspace=workspace, progress=progress).answer(question, k=k)


def search(question: str, k: int = 5, *, course: Course | str | os.PathLike[str] | None = None,
           progress: bool = True) -> list[Passage]:
    """Passages only, no generator involved."""
    return get_tutor(course, progress=progress).search(question, k)
