"""Retrieval-augmented generation: grounded prompts, citation checking, and an agentic retrieval loop.

A RAG answer is only as trustworthy as its links to the sources. Three pieces make them checkable:

1. `build_grounded_prompt(question, passages)`: the retrieved passages, numbered [1], [2], ..., in
   the order given, under an instruction to answer from them only and to cite each sentence's
   sources by number, then the question. Numbers rather than ids: short, unambiguous, and easy for a
   model to copy.
2. `check_citations(answer, passage_ids)`: split the model's answer into claims (sentences with the
   citation markers that follow them), read the markers ([2], [1, 3], [1][3]), keep the claims that
   cite at least one passage that was really retrieved, and flag the rest: claims with no citation
   (unsupported: drop them or show them as such) and numbers that name no passage (an invented
   source, a classic hallucination).
3. `agentic_answer(question, retrieve, generate, max_steps)`: retrieve -> let the model decide ->
   retrieve again. The model may reply ``SEARCH: <query>`` instead of answering; the loop then
   retrieves for that query, adds the passages it has not seen (deduplicated by id, first retrieval
   order), and asks again, at most `max_steps` retrievals in all. On the last step the prompt no
   longer offers the search option; a model that still asks gets no answer (``stopped ==
   "step_limit"``), never an endless loop.

Claims: a claim ends after ``.``, ``!`` or ``?`` plus any citation markers that follow, when
whitespace or the end of the answer comes next (so "3.5" and "e.g." inside a claim do not split it,
but "e.g. Next" does, as in the chunking exercise's sentence rules). Text after the last terminal
punctuation is a claim too.

`retrieve(query) -> [(passage_id, text), ...]` and `generate(prompt) -> reply` are plain callables:
an index search and an LLM call (any OpenAI-compatible endpoint, or the course's GPT) in real use, a
scripted function in tests of the loop's logic.

Left out: re-ranking, query rewriting by a separate model, tool calling with JSON schemas, checking
that a cited passage actually entails the claim (an NLI model's job), streaming.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["AgentResult", "AgentStep", "Claim", "GroundedAnswer", "agentic_answer", "build_grounded_prompt",
           "check_citations", "parse_claims", "parse_search_request"]

INSTRUCTION = (
    "Answer the question using only the numbered passages below. After each sentence, cite the passages "
    "that support it by their numbers in square brackets, like [1] or [2, 3]. If the passages do not "
    "contain the answer, say that you do not know."
)
SEARCH_OPTION = (
    "If the passages are not enough, do not answer yet: reply with a single line of the form "
    "SEARCH: <a better search query>"
)
SEARCH_PREFIX = "SEARCH:"

_MARKER = re.compile(r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")
_CLAIM_END = re.compile(r"[.!?]+(?:\s*\[\s*\d+(?:\s*,\s*\d+)*\s*\])*(?=\s|$)")


def build_grounded_prompt(question: str, passages: Sequence[tuple[str, str]], allow_search: bool = False) -> str:
    """The prompt that asks for an answer grounded in `passages`, a list of (passage_id, text).

    Layout (blocks separated by one blank line)::

        <INSTRUCTION>            (plus SEARCH_OPTION on the next line when allow_search)
        [1] <text of passage 1>
        [2] <text of passage 2>
        ...                      (each passage on its own line(s), numbered from 1 in the given order)
        Question: <question>
        Answer:

    The ids are not shown to the model (numbers are); `check_citations` maps numbers back to ids.
    Raises ValueError for an empty question.
    """
    if not isinstance(question, str) or not question.strip():
        raise ValueError("the question must be a non-empty string")
    head = INSTRUCTION + ("\n" + SEARCH_OPTION if allow_search else "")
    numbered = "\n".join(f"[{n}] {text.strip()}" for n, (_, text) in enumerate(passages, start=1))
    blocks = [head, numbered] if passages else [head, "(no passages were found)"]
    return "\n\n".join([*blocks, f"Question: {question.strip()}\nAnswer:"])


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer: its text without citation markers, and the numbers it cites."""

    text: str
    citations: tuple[int, ...]  # in order of first appearance, without repeats


def parse_claims(answer: str) -> list[Claim]:
    """The claims of `answer`, in order, each with the passage numbers its markers cite.

    Markers are ``[n]`` or ``[n, m, ...]``, anywhere in the claim or right after its final punctuation.
    Claim texts have their markers removed, whitespace collapsed to single spaces and no space left
    before punctuation ("length [1]." -> "length."); empty claims
    (markers or whitespace only) are skipped.

    >>> parse_claims("Norms measure length [1]. L1 gives sparsity.[2, 3] Unsure")
    [Claim(text='Norms measure length.', citations=(1,)), Claim(text='L1 gives sparsity.', citations=(2, 3)), \
Claim(text='Unsure', citations=())]
    """
    if not isinstance(answer, str):
        raise ValueError(f"the answer must be a str, got {type(answer).__name__}")
    pieces, start = [], 0
    for match in _CLAIM_END.finditer(answer):
        pieces.append(answer[start:match.end()])
        start = match.end()
    pieces.append(answer[start:])
    claims = []
    for piece in pieces:
        numbers = [int(n) for group in _MARKER.findall(piece) for n in re.split(r"\s*,\s*", group)]
        text = " ".join(_MARKER.sub(" ", piece).split())
        text = re.sub(r"\s+([.!?,;:])", r"\1", text)  # "length ." -> "length."
        if text.strip(".!? "):
            claims.append(Claim(text, tuple(dict.fromkeys(numbers))))
    return claims


@dataclass(frozen=True)
class GroundedAnswer:
    """The checked answer: what is supported, what is not, and which sources it rests on."""

    claims: tuple[Claim, ...]  # claims citing >= 1 retrieved passage (citations: the valid numbers only)
    unsupported: tuple[str, ...]  # texts of claims without a valid citation: drop them, or show them flagged
    invalid: tuple[int, ...]  # cited numbers that name no passage, first appearance order, no repeats
    cited_ids: tuple[str, ...]  # ids of the passages the kept claims cite, first citation order, no repeats

    @property
    def grounded(self) -> bool:
        """True when every claim cites a retrieved passage and no citation is invented."""
        return bool(self.claims) and not self.unsupported and not self.invalid

    @property
    def text(self) -> str:
        """The supported claims only, each followed by its markers: '... [1, 3]'."""
        return " ".join(f"{c.text} [{', '.join(map(str, c.citations))}]" for c in self.claims)


def check_citations(answer: str, passage_ids: Sequence[str]) -> GroundedAnswer:
    """Check `answer` against the passages that were in its prompt (`passage_ids[n - 1]` is passage [n]).

    >>> checked = check_citations("Paris is in France [1]. It has 9 moons [7]. Nice.", ["geo", "astro"])
    >>> checked.claims, checked.unsupported, checked.invalid, checked.cited_ids
    ((Claim(text='Paris is in France.', citations=(1,)),), ('It has 9 moons.', 'Nice.'), (7,), ('geo',))
    """
    n = len(passage_ids)
    kept, unsupported, invalid, cited = [], [], [], []
    for claim in parse_claims(answer):
        valid = tuple(c for c in claim.citations if 1 <= c <= n)
        invalid.extend(c for c in claim.citations if not 1 <= c <= n)
        if valid:
            kept.append(Claim(claim.text, valid))
            cited.extend(passage_ids[c - 1] for c in valid)
        else:
            unsupported.append(claim.text)
    return GroundedAnswer(tuple(kept), tuple(unsupported), tuple(dict.fromkeys(invalid)),
                          tuple(dict.fromkeys(cited)))


def parse_search_request(reply: str) -> str | None:
    """The query of a ``SEARCH: <query>`` reply (its first non-blank line, prefix in any case), else None.

    >>> parse_search_request("  search:   vanishing gradients\\n"), parse_search_request("It is 4 [1].")
    ('vanishing gradients', None)
    """
    first = next((line.strip() for line in reply.splitlines() if line.strip()), "")
    if first[: len(SEARCH_PREFIX)].upper() != SEARCH_PREFIX:
        return None
    query = first[len(SEARCH_PREFIX):].strip()
    return query or None


@dataclass(frozen=True)
class AgentStep:
    """One retrieval of the loop: the query sent, and the ids of the passages it added (new ones only)."""

    query: str
    new_ids: tuple[str, ...]


@dataclass(frozen=True)
class AgentResult:
    """How the loop ended: `stopped` is "answered" or "step_limit" (answer None)."""

    answer: GroundedAnswer | None
    reply: str  # the model's last reply, as it came
    passages: tuple[tuple[str, str], ...]  # every passage gathered, deduplicated, in retrieval order
    steps: tuple[AgentStep, ...]
    stopped: str


def agentic_answer(question: str, retrieve: Callable[[str], Sequence[tuple[str, str]]],
                   generate: Callable[[str], str], max_steps: int = 3) -> AgentResult:
    """Retrieve -> decide -> retrieve again, at most `max_steps` retrievals.

    Step s (1-based): retrieve(query) (query = the question at step 1), add the passages whose ids are
    new, build the grounded prompt over all passages so far with ``allow_search = s < max_steps``, and
    call generate(prompt). A reply that `parse_search_request` reads as a query starts step s + 1 with
    it (if s < max_steps; at the limit the loop stops with answer None); any other reply is the answer,
    checked with `check_citations` against the passages in the prompt.
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be a positive integer, got {max_steps!r}")
    gathered: dict[str, str] = {}
    steps: list[AgentStep] = []
    query, reply = question, ""
    for step in range(1, max_steps + 1):
        new = [(pid, text) for pid, text in retrieve(query) if pid not in gathered]
        new = list(dict(new).items())  # a retriever may repeat an id within one answer
        gathered.update(new)
        steps.append(AgentStep(query, tuple(pid for pid, _ in new)))
        passages = tuple(gathered.items())
        reply = generate(build_grounded_prompt(question, passages, allow_search=step < max_steps))
        request = parse_search_request(reply)
        if request is None:
            answer = check_citations(reply, [pid for pid, _ in passages])
            return AgentResult(answer, reply, passages, tuple(steps), "answered")
        query = request
    return AgentResult(None, reply, tuple(gathered.items()), tuple(steps), "step_limit")
