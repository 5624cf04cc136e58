"""Project tests of the RAG modules (aieng.lib.genai.chunking, retrieval, rag) beyond the exercises: the
real lessons chunked, the exact index against scikit-learn's NearestNeighbors, HNSW recall across settings,
nDCG against sklearn with real-valued gains, and the agentic loop with the course's own GPT as the generator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import aieng.course
from aieng.lib.genai.chunking import fixed_size_chunks, markdown_chunks, sentence_chunks, split_sentences
from aieng.lib.genai.rag import agentic_answer, build_grounded_prompt, check_citations
from aieng.lib.genai.retrieval import ExactIndex, HNSWIndex, knn_recall, ndcg_at_k, recall_at_k

LESSONS = sorted(Path(aieng.course.__file__).parent.rglob("lesson.md"))


# ----------------------------------------------------------------------------- chunking on the course itself


@pytest.mark.parametrize("max_chars", [None, 300, 800])
def test_every_lesson_rebuilds_from_its_markdown_chunks(max_chars: int | None) -> None:
    assert len(LESSONS) > 50
    for path in LESSONS:
        text = path.read_text(encoding="utf-8")
        chunks = markdown_chunks(text, max_chars)
        assert "".join(c.text for c in chunks) == text, path
        assert all(max_chars is None or len(c.text) <= max_chars for c in chunks), path
        if text.lstrip().startswith("# "):  # a lesson opening with its title: every chunk sits under it
            title = text.lstrip().splitlines()[0][2:].strip()
            assert all(c.headings and c.headings[0] == title for c in chunks), path


def test_code_fences_in_lessons_never_open_sections() -> None:
    for path in LESSONS:
        for chunk in markdown_chunks(path.read_text(encoding="utf-8")):
            first = chunk.text.lstrip("\n").splitlines()[0] if chunk.text.strip() else ""
            assert not first.startswith("```"), (path, chunk.headings)


def test_sentence_chunks_of_all_lessons_stay_whole_where_possible() -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in LESSONS[:20])
    sentences = split_sentences(text)
    assert "".join(sentences) == text
    chunks = sentence_chunks(text, 600)
    assert "".join(chunks) == text and all(len(c) <= 600 for c in chunks)
    boundaries = set(np.cumsum([len(s) for s in sentences]).tolist())
    ends = np.cumsum([len(c) for c in chunks]).tolist()
    long_sentences = sum(len(s) > 600 for s in sentences)
    assert sum(end not in boundaries for end in ends) <= sum(len(s) // 600 for s in sentences if len(s) > 600)
    assert long_sentences < len(sentences) / 50  # the splitter finds real sentences in real prose


def test_fixed_windows_on_bpe_token_ids() -> None:
    from aieng.lib.genai import bpe

    text = LESSONS[0].read_text(encoding="utf-8")[:3000]
    tokenizer = bpe.BPETokenizer(bpe.train(text, 300))
    ids = tokenizer.encode(text)
    windows = fixed_size_chunks(ids, 64, overlap=16)
    rebuilt = windows[0] + [t for w in windows[1:] for t in w[16:]]
    assert rebuilt == ids and tokenizer.decode(rebuilt) == text
    assert all(len(w) == 64 for w in windows[:-1])


# ----------------------------------------------------------------------------- indexes


def test_exact_index_agrees_with_sklearn_nearest_neighbors() -> None:
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(0)
    stored, queries = rng.standard_normal((500, 24)), rng.standard_normal((40, 24))
    index = ExactIndex(24)
    index.add(np.arange(500), stored)
    keys, scores = index.search(queries, 7)
    distances, neighbours = NearestNeighbors(n_neighbors=7, metric="cosine", algorithm="brute").fit(stored) \
        .kneighbors(queries)
    assert np.array_equal(keys, neighbours)
    np.testing.assert_allclose(scores, 1.0 - distances, rtol=0, atol=1e-12)


def test_hnsw_recall_grows_with_its_settings() -> None:
    rng = np.random.default_rng(1)
    centers = rng.standard_normal((30, 48)) * 3
    stored = centers[rng.integers(0, 30, 3000)] + rng.standard_normal((3000, 48))
    queries = centers[rng.integers(0, 30, 200)] + rng.standard_normal((200, 48))
    exact = ExactIndex(48)
    exact.add(np.arange(3000), stored)
    truth, _ = exact.search(queries, 10)
    recalls = []
    for connectivity, expansion_add, expansion_search in [(2, 4, 1), (4, 16, 8), (16, 128, 64), (32, 256, 256)]:
        index = HNSWIndex(48, connectivity, expansion_add, expansion_search)
        index.add(np.arange(3000), stored)
        recalls.append(knn_recall(index.search(queries, 10)[0], truth))
    assert recalls[0] < recalls[2] <= recalls[3] + 0.005
    assert recalls[2] >= 0.95 and recalls[3] >= 0.99


def test_ndcg_matches_sklearn_with_real_valued_gains() -> None:
    from sklearn.metrics import ndcg_score

    rng = np.random.default_rng(2)
    for _ in range(200):
        n = int(rng.integers(2, 30))
        gains = rng.exponential(size=n) * (rng.random(n) < 0.4)
        order = rng.permutation(n)
        scores = np.empty(n)
        scores[order] = np.arange(n, 0, -1)
        k = int(rng.integers(1, n + 3))
        assert ndcg_at_k(order.tolist(), dict(enumerate(gains)), k) == pytest.approx(
            ndcg_score([gains], [scores], k=k), rel=1e-12, abs=1e-12)


def test_recall_at_k_of_the_lesson_example() -> None:
    assert recall_at_k(["a", "b", "c"], {"a", "c", "z"}, 2) == pytest.approx(1 / 3)


# ----------------------------------------------------------------------------- the loop with the course's GPT


def test_agentic_loop_with_the_course_gpt_as_generator() -> None:
    """A real (untrained, seeded) GPT writes the replies: the loop must cope with whatever text comes back.

    The loop's control flow is tested with scripted generators in the exercise; here the point is that a real
    model plugs in as `generate(prompt) -> str` and its unreliable output is parsed and flagged, not trusted.
    """
    import torch

    from aieng.lib.genai.gpt import GPT
    from aieng.lib.genai.train import CharTokenizer

    torch.set_num_threads(1)
    passages = {"norms": [("n1", "The L2 norm is the square root of the sum of squares."),
                          ("n2", "The L1 norm adds absolute values.")]}
    prompt_chars = build_grounded_prompt("What is a norm?", passages["norms"], allow_search=True)
    tokenizer = CharTokenizer.fit(prompt_chars + "SEARCH:[]0123456789")
    torch.manual_seed(0)
    model = GPT(tokenizer.vocab_size, block_size=64, n_layer=1, n_head=2, n_embd=32)
    prompts: list[str] = []

    def generate(prompt: str) -> str:
        prompts.append(prompt)
        ids = torch.tensor([tokenizer.encode(prompt)[-64:]])
        out = model.generate(ids, 40, temperature=1.0, generator=torch.Generator().manual_seed(len(prompts)))
        return tokenizer.decode(out[0, ids.shape[1]:].tolist())

    result = agentic_answer("What is a norm?", lambda q: passages.get("norms", []), generate, max_steps=2)
    assert prompts[0] == prompt_chars
    assert result.stopped in ("answered", "step_limit")
    if result.answer is not None:
        checked = check_citations(result.reply, ["n1", "n2"])
        assert checked == result.answer and not result.answer.grounded  # random text is never a grounded answer
