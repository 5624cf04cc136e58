"""Grounded answers with citations, and an agentic retrieval loop — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check rag`.

Passages are (passage_id, text) pairs. The dataclasses and the two instruction texts are given.
(No `from __future__ import annotations` here: the tests load this file without registering it as a module,
and a dataclass with string annotations needs that.)
"""

import re  # noqa: F401  (you will want it)
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


def build_grounded_prompt(question: str, passages: Sequence[tuple[str, str]], allow_search: bool = False) -> str:
    """The grounded prompt: three blocks joined by one blank line ("\\n\\n"):

    1. INSTRUCTION, followed by "\\n" + SEARCH_OPTION when allow_search;
    2. the passages, one per line, "[1] <text 1 stripped>\\n[2] <text 2 stripped>..." in the given order;
       or the line "(no passages were found)" when there are none;
    3. "Question: <question stripped>\\nAnswer:".
    Raise ValueError for an empty (or whitespace-only) question.
    """
    raise NotImplementedError


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer: its text without citation markers, and the numbers it cites."""

    text: str
    citations: tuple[int, ...]  # in order of first appearance, without repeats


def parse_claims(answer: str) -> list[Claim]:
    """The claims of `answer`, in order.

    - A citation marker is "[n]" or "[n, m, ...]" (spaces allowed around numbers and commas).
    - A claim ends after a run of . ! or ? plus any markers directly after it (whitespace allowed before each
      marker), when whitespace or the end of the answer follows. Text after the last such end is a claim too.
    - Claim.text: markers removed, whitespace collapsed to single spaces, no space before . ! ? , ; :
      ("Norms measure length [1]." -> "Norms measure length."). Skip claims with nothing but punctuation left.
    - Claim.citations: every number of every marker in the claim, in order, repeats removed.
    Example: parse_claims("A is B [1]. C.[2, 3] D") ->
        [Claim("A is B.", (1,)), Claim("C.", (2, 3)), Claim("D", ())]
    """
    raise NotImplementedError


@dataclass(frozen=True)
class GroundedAnswer:
    """The checked answer: what is supported, what is not, and which sources it rests on."""

    claims: tuple[Claim, ...]  # claims citing >= 1 retrieved passage (citations: the valid numbers only)
    unsupported: tuple[str, ...]  # texts of claims without a valid citation
    invalid: tuple[int, ...]  # cited numbers that name no passage, first appearance order, no repeats
    cited_ids: tuple[str, ...]  # ids of the passages the kept claims cite, first citation order, no repeats

    @property
    def grounded(self) -> bool:
        return bool(self.claims) and not self.unsupported and not self.invalid

    @property
    def text(self) -> str:
        return " ".join(f"{c.text} [{', '.join(map(str, c.citations))}]" for c in self.claims)


def check_citations(answer: str, passage_ids: Sequence[str]) -> GroundedAnswer:
    """Check `answer` against the passages of its prompt: passage [n] has id passage_ids[n - 1].

    A number n is valid when 1 <= n <= len(passage_ids). A claim with at least one valid number is kept, with its
    valid numbers only; a claim with none goes to `unsupported` (its text). Invalid numbers are collected
    (no repeats), and so are the ids of the passages the kept claims cite (first citation order, no repeats).
    """
    raise NotImplementedError


def parse_search_request(reply: str) -> str | None:
    """The query of a "SEARCH: <query>" reply, else None.

    Look at the first non-blank line only, stripped; the prefix "SEARCH:" may be in any case; the query is the
    rest of the line, stripped; an empty query counts as no request (None).
    """
    raise NotImplementedError


@dataclass(frozen=True)
class AgentStep:
    """One retrieval of the loop: the query sent, and the ids of the passages it added (new ones only)."""

    query: str
    new_ids: tuple[str, ...]


@dataclass(frozen=True)
class AgentResult:
    """How the loop ended: `stopped` is "answered" or "step_limit" (then answer is None)."""

    answer: GroundedAnswer | None
    reply: str  # the model's last reply, as it came
    passages: tuple[tuple[str, str], ...]  # every passage gathered, deduplicated by id, in retrieval order
    steps: tuple[AgentStep, ...]
    stopped: str


def agentic_answer(question: str, retrieve: Callable[[str], Sequence[tuple[str, str]]],
                   generate: Callable[[str], str], max_steps: int = 3) -> AgentResult:
    """Retrieve -> decide -> retrieve again, at most `max_steps` retrievals.

    Step s = 1, 2, ...: passages = retrieve(query) (query = question at step 1); add those whose id is new (also
    new within this retrieval); record AgentStep(query, ids added); reply = generate(build_grounded_prompt(
    question, all passages so far, allow_search=s < max_steps)). If parse_search_request(reply) is None, return
    AgentResult(check_citations(reply, ids of all passages so far), reply, passages, steps, "answered");
    otherwise the request is the next query. If step max_steps still asks for a search, return
    AgentResult(None, reply, passages, steps, "step_limit").
    Raise ValueError if max_steps is not a positive integer.
    """
    raise NotImplementedError
