"""The tutor (aieng.tutor): indexing, caching, search, and answers from a REAL HTTP server.

A small synthetic course (three lessons on distinct topics and a three-term glossary) is embedded once per
module with the packaged all-MiniLM-L6-v2 model. The generator is a minimal OpenAI-compatible server
(FastAPI + uvicorn) started on a free loopback port in this process; the tutor talks to it through the
real `openai` client and real HTTP, and the server records every request it gets. Nothing is mocked.

The slow tests run the real course: the held-out recall target and the embedder against
sentence-transformers.
"""

from __future__ import annotations

import json
import os
import socket
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI, Request  # module level: the app's annotations are resolved from these globals

os.environ.setdefault("HF_HUB_OFFLINE", "1")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from aieng.course import load  # noqa: E402
from aieng.lib.genai.rag import INSTRUCTION  # noqa: E402
from aieng.tutor import Tutor, TutorAnswer  # noqa: E402
from aieng.tutor.embedder import MiniLMEmbedder  # noqa: E402

LESSONS = {
    "norms": ("Vector norms", "Measure the length of a vector.", """\
        # Vector norms

        A norm measures how long a vector is. The Euclidean norm is the square root of the sum of squares.

        ## The L1 norm

        The L1 norm adds the absolute values of the entries. As a penalty it pushes weights to exactly zero.
        """),
    "bayes": ("Bayes' theorem", "Update a belief with evidence.", """\
        # Bayes' theorem

        Bayes' theorem turns the probability of the evidence given a hypothesis into the probability of the
        hypothesis given the evidence: the posterior is the likelihood times the prior, divided by the evidence.

        ## Base rates

        A positive result for a rare disease is often a false alarm, because the prior (the base rate) is tiny.
        """),
    "trees": ("Decision trees", "Split the data on one feature at a time.", """\
        # Decision trees

        A decision tree asks one yes/no question about one feature at each node.

        ## Choosing a split

        At each node the tree tries every feature and threshold and keeps the split that reduces the Gini
        impurity the most. Stopping early, or pruning, keeps the tree from memorizing the training data.
        """),
}
GLOSSARY = """\
[[term]]
term = "norm"
definition = "A function that gives a vector a non-negative length."
related = []

[[term]]
term = "prior"
definition = "What you believe about a hypothesis before seeing the evidence."
related = []

[[term]]
term = "Gini impurity"
definition = "The chance that two labels drawn at random from a node differ."
related = []
"""
TERMS = {"norms": ["norm"], "bayes": ["prior"], "trees": ["Gini impurity"]}


def write_course(root: Path) -> Path:
    """A loadable three-lesson course (each exercise points at an existing reference module)."""
    (root / "01_basics").mkdir(parents=True)
    (root / "roadmap.toml").write_text('title = "mini"\nstages = ["01_basics"]\n')
    (root / "01_basics/stage.toml").write_text('title = "Basics"\nsummary = "Three lessons."\n'
                                               'library = "aieng.lib.math"\n')
    (root / "glossary.toml").write_text(GLOSSARY)
    for n, (slug, (title, summary, lesson)) in enumerate(LESSONS.items(), start=1):
        folder = root / "01_basics" / f"0{n}_{slug}"
        folder.mkdir()
        (folder / "exercise.toml").write_text(textwrap.dedent(f"""\
            id = "{slug}"
            title = "{title}"
            summary = "{summary}"
            requires = []
            difficulty = 1
            minutes = 10
            kind = "implement"
            reference = "aieng.lib.math.vectors"
            entry = ["norm"]
            oracle = "none"
            glossary = {json.dumps(TERMS[slug])}
            hints = ["none"]
            """))
        (folder / "lesson.md").write_text(textwrap.dedent(lesson))
        (folder / "starter.py").write_text("def norm(x):\n    raise NotImplementedError\n")
        (folder / f"test_{slug}.py").write_text("def test_nothing(impl):\n    pass\n")
    return root


class CountingEmbedder:
    """The real MiniLM embedder, counting how many texts it was asked to embed."""

    def __init__(self, inner: MiniLMEmbedder) -> None:
        self.inner, self.texts = inner, 0

    def fingerprint(self) -> str:
        from aieng.tutor.embedder import model_fingerprint

        return model_fingerprint()

    def embed(self, texts, progress=False, description=""):
        self.texts += len(texts)
        return self.inner.embed(texts, progress=False)


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def course_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_course(tmp_path_factory.mktemp("course"))
    load(root)  # the synthetic course is valid
    return root


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tutor-cache")


@pytest.fixture
def no_generator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No endpoint configured and no trained GPT to be found."""
    for name in ("AIENG_LLM_URL", "AIENG_LLM_MODEL", "AIENG_LLM_API_KEY", "AIENG_TUTOR_GPT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def tutor(course_root: Path, cache: Path, minilm: MiniLMEmbedder) -> Tutor:
    return Tutor(course_root, cache_dir=cache, embedder=CountingEmbedder(minilm), progress=False).build_index()


# ----------------------------------------------------------------------------- a real OpenAI-compatible server


class ChatServer:
    """A minimal OpenAI-compatible server (/v1/models, /v1/chat/completions) on a free loopback port.

    It answers with the scripted replies in order and records the JSON body of every chat request.
    """

    def __init__(self, replies: list[str], model: str = "tiny-test-model") -> None:
        import uvicorn

        self.replies, self.requests, self.model = list(replies), [], model
        app = FastAPI()

        @app.get("/v1/models")
        def models() -> dict:
            return {"object": "list", "data": [{"id": self.model, "object": "model", "created": 0,
                                                "owned_by": "test"}]}

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> dict:
            body = await request.json()
            self.requests.append(body)
            reply = self.replies.pop(0) if self.replies else "I do not know."
            return {"id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 0,
                    "model": body["model"], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": reply}}]}

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def use_server(monkeypatch: pytest.MonkeyPatch, server: ChatServer) -> None:
    monkeypatch.setenv("AIENG_LLM_URL", server.url)
    monkeypatch.delenv("AIENG_LLM_MODEL", raising=False)
    monkeypatch.delenv("AIENG_LLM_API_KEY", raising=False)


# ----------------------------------------------------------------------------- index and cache


def test_index_holds_every_lesson_section_summary_and_term(tutor: Tutor) -> None:
    kinds = [d.kind for d in tutor.docs]
    assert kinds.count("summary") == 3 and kinds.count("glossary") == 3
    lessons = {(d.exercise_id, d.heading) for d in tutor.docs if d.kind == "lesson"}
    assert ("trees", "Choosing a split") in lessons and ("bayes", "Base rates") in lessons
    assert tutor.embeddings.shape == (len(tutor.docs), 384) and tutor.embeddings.dtype == np.float32
    assert np.allclose(np.linalg.norm(tutor.embeddings, axis=1), 1.0, atol=1e-5)
    term = next(d for d in tutor.docs if d.heading == "Glossary: Gini impurity")
    assert term.exercise_id == "trees" and term.title == "Decision trees"  # linked to the lesson that teaches it


def test_second_build_loads_from_the_cache_without_embedding(tutor: Tutor, course_root: Path, cache: Path,
                                                              minilm: MiniLMEmbedder) -> None:
    assert tutor.loaded_from_cache is False
    assert len(list(cache.glob("index-*.npz"))) == 1 and len(list(cache.glob("index-*.json"))) == 1
    counting = CountingEmbedder(minilm)
    again = Tutor(course_root, cache_dir=cache, embedder=counting, progress=False).build_index()
    assert again.loaded_from_cache is True and counting.texts == 0  # nothing re-embedded
    assert again.docs == tutor.docs and np.array_equal(again.embeddings, tutor.embeddings)


def test_editing_a_lesson_rebuilds_the_index(course_root: Path, tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    import shutil

    root = tmp_path / "course"
    shutil.copytree(course_root, root)
    cache = tmp_path / "cache"
    first = Tutor(root, cache_dir=cache, embedder=CountingEmbedder(minilm), progress=False)
    key = first.build_index().cache_key()
    lesson = root / "01_basics/03_trees/lesson.md"
    lesson.write_text(lesson.read_text() + "\n## Pruning\n\nCost-complexity pruning removes weak branches again.\n")
    before = {d.embed_text for d in first.docs}
    counting = CountingEmbedder(minilm)
    second = Tutor(root, cache_dir=cache, embedder=counting, progress=False).build_index()
    assert second.cache_key() != key and second.loaded_from_cache is False
    changed = {d.embed_text for d in second.docs} - before
    assert any(d.heading == "Pruning" for d in second.docs) and counting.texts == len(changed) >= 1  # only those
    assert len(list(cache.glob("index-*.npz"))) == 1  # the stale index was removed
    fresh = Tutor(root, cache_dir=tmp_path / "fresh", embedder=minilm, progress=False).build_index()
    assert np.allclose(fresh.embeddings, second.embeddings, atol=1e-5)  # reused vectors equal recomputed ones


# ----------------------------------------------------------------------------- search


@pytest.mark.parametrize(("question", "lesson"), [
    ("How does a tree decide which feature to split on?", "trees"),
    ("My test for a rare illness is positive; am I probably sick?", "bayes"),
    ("Why does an L1 penalty give sparse weights?", "norms"),
])
def test_search_finds_the_right_lesson(tutor: Tutor, question: str, lesson: str) -> None:
    passages = tutor.search(question, k=3)
    assert len(passages) == 3
    assert passages[0].exercise_id == lesson, [(p.exercise_id, p.heading, p.score) for p in passages]
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True) and -1.0 <= scores[-1] <= scores[0] <= 1.0
    top = passages[0]
    assert top.title == load(tutor.root)[lesson].title and top.url == f"/exercises/{lesson}"
    assert top.text and top.text in {d.text for d in tutor.docs}


def test_search_rejects_an_empty_question(tutor: Tutor) -> None:
    with pytest.raises(ValueError, match="empty"):
        tutor.search("   ")


# ----------------------------------------------------------------------------- answers


def test_passages_only_without_a_generator(tutor: Tutor, no_generator: None) -> None:
    answer = tutor.answer("What is a prior?", k=4)
    assert isinstance(answer, TutorAnswer)
    assert answer.text is None and answer.generator_label == "passages only" and answer.citations == ()
    assert len(answer.passages) == 4 and answer.passages[0].exercise_id == "bayes"
    assert "aieng show bayes" in answer.to_markdown()
    assert answer.to_dict()["passages"][0]["url"] == "/exercises/bayes"


def test_answer_from_a_real_http_endpoint(tutor: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "How does a decision tree choose a split?"
    reply = "It keeps the split that lowers the Gini impurity most [1]. Trees are also purple [9]."
    with ChatServer([reply]) as server:
        use_server(monkeypatch, server)
        answer = tutor.answer(question, k=3)
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request["model"] == "tiny-test-model"  # taken from the server's /v1/models
    assert request["temperature"] == 0.0
    prompt = request["messages"][-1]["content"]
    assert request["messages"][-1]["role"] == "user" and request["messages"][0]["role"] == "system"
    # the grounded prompt: the instruction, every passage numbered in order, the question last
    assert prompt.startswith(INSTRUCTION) and prompt.endswith(f"Question: {question}\nAnswer:")
    positions = [prompt.index(f"[{n}] ({p.source}) {p.text.strip().splitlines()[0]}")
                 for n, p in enumerate(answer.passages, start=1)]
    assert positions == sorted(positions) and len(answer.passages) == 3
    # the server's answer comes back, with its citations checked
    assert answer.text == reply and "tiny-test-model" in answer.generator_label
    assert answer.citations == (1,) and answer.invalid_citations == (9,)
    assert answer.unsupported == ("Trees are also purple.",) and not answer.grounded
    assert answer.searches == (question,)
    assert "[9]" in answer.to_markdown()


def test_endpoint_may_search_again(tutor: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "How does a decision tree choose a split?"
    with ChatServer(["SEARCH: base rates of rare diseases", "Gini impurity decides [1]. Base rates matter [4]."]) \
            as server:
        use_server(monkeypatch, server)
        answer = tutor.answer(question, k=3, max_steps=2)
    assert len(server.requests) == 2
    first, second = (r["messages"][-1]["content"] for r in server.requests)
    assert "SEARCH:" in first and "SEARCH:" not in second  # the last step offers no more searching
    assert answer.searches == (question, "base rates of rare diseases")
    assert len(answer.passages) > 3 and any(p.exercise_id == "bayes" for p in answer.passages[3:])
    assert all(f"[{n}] ({p.source})" in second for n, p in enumerate(answer.passages, start=1))
    assert answer.citations == (1, 4) and answer.grounded


def test_unreachable_endpoint_still_returns_passages(tutor: Tutor, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AIENG_LLM_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AIENG_LLM_MODEL", "any")
    answer = tutor.answer("What is a norm?", k=2)
    assert answer.text is None and answer.error and len(answer.passages) == 2
    assert f"127.0.0.1:{port}/v1" in answer.generator_label  # the /v1 root was added to the bare URL


def test_toy_gpt_is_used_and_labelled_when_a_checkpoint_exists(tutor: Tutor, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path, no_generator: None) -> None:
    from aieng.lib.genai.gpt import GPT
    from aieng.lib.genai.train import CharTokenizer

    tokenizer = CharTokenizer.fit("abcdefghijklmnopqrstuvwxyz ?:\nQA")
    config = {"vocab_size": tokenizer.vocab_size, "block_size": 32, "n_layer": 1, "n_head": 2, "n_embd": 16,
              "dropout": 0.0}
    torch.manual_seed(0)
    model = GPT(**config)
    path = tmp_path / "model.pt"
    torch.save({"model": model.state_dict(), "config": config, "tokenizer": tokenizer.to_dict(), "model_file": None},
               path)
    monkeypatch.setenv("AIENG_TUTOR_GPT", str(path))
    answer = tutor.answer("What is a norm?", k=2)
    assert answer.generator_label.startswith("toy model") and isinstance(answer.text, str)
    assert len(answer.passages) == 2 and not answer.grounded


def test_ask_is_the_one_call_api(course_root: Path, tutor: Tutor, cache: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, no_generator: None) -> None:
    import shutil

    import aieng.tutor.core as core
    from aieng.tutor import ask, default_cache_dir, get_tutor

    shutil.copytree(cache, tmp_path / "data" / "tutor")  # the index, where $AIENG_DATA_DIR puts the cache
    monkeypatch.setenv("AIENG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(core, "_DEFAULT", core._Default())
    assert default_cache_dir() == tmp_path / "data" / "tutor"
    answer = ask("What is a prior?", k=2, course=course_root, progress=False)
    shared = get_tutor(course_root)
    assert shared.loaded_from_cache and shared is get_tutor(course_root)  # built once per process
    assert answer.text is None and answer.passages[0].exercise_id == "bayes"


# ----------------------------------------------------------------------------- the real course (slow)


@pytest.mark.slow
def test_embedder_matches_sentence_transformers(minilm: MiniLMEmbedder) -> None:
    from sentence_transformers import SentenceTransformer

    from aieng.tutor.embedder import model_path

    texts = ["How do I normalize a vector?", "Gradient boosting fits each tree to the residuals. " * 30, "x"]
    reference = SentenceTransformer(str(model_path()), device="cpu").encode(texts, normalize_embeddings=True)
    assert np.allclose(minilm.embed(texts), reference, atol=1e-5)


@pytest.mark.slow
def test_real_course_recall_at_5_on_held_out_questions(tmp_path_factory: pytest.TempPathFactory) -> None:
    from aieng.tutor.evaluation import evaluate, load_questions

    tutor = Tutor(progress=False).build_index()  # the user's cache: built once, then reused
    result = evaluate(tutor, load_questions())
    assert result["n"] >= 50
    assert result["recall@5"] >= 0.9, result
