"""Who writes the tutor's answer, in order of preference.

1. Any OpenAI-compatible chat endpoint the learner configures: ``AIENG_LLM_URL`` (a local llama.cpp
   server, Ollama, vLLM, or a hosted API), ``AIENG_LLM_MODEL`` (optional: else the first model the
   server lists under /v1/models, else "default"), ``AIENG_LLM_API_KEY`` (optional: local servers
   ignore it). Called with the official ``openai`` client: ``chat.completions.create``, temperature 0.
2. The course's own GPT, if a trained checkpoint (a ``model.pt`` written by ``python -m
   aieng.lib.genai.train``) can be found: clearly labelled a toy. A character-level model a few
   hundred thousand parameters large, trained on Shakespeare or on the course's Q&A pairs, cannot read
   a grounded prompt of two thousand words; it is given the instruction-tuning template ``Q: ...\\nA:``
   and its answer is shown for what it is.
3. Nobody: the tutor returns the passages only.

A generator is a callable ``prompt -> reply`` with a ``label`` attribute saying what it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

URL_ENV, MODEL_ENV, KEY_ENV, GPT_ENV = "AIENG_LLM_URL", "AIENG_LLM_MODEL", "AIENG_LLM_API_KEY", "AIENG_TUTOR_GPT"
SYSTEM_PROMPT = ("You are the tutor of aieng, a course in AI engineering. Answer the learner's question from the "
                 "course passages you are given, briefly and precisely, and cite them as instructed.")
TOY_TEMPLATE = "Q: {question}\nA: "  # the instruction-tuning exercise's template


class Generator(Protocol):
    label: str

    def __call__(self, prompt: str) -> str: ...


def normalize_base_url(url: str) -> str:
    """The API root the openai client expects: 'http://host:8080' -> 'http://host:8080/v1' (a path is kept)."""
    url = url.strip().rstrip("/")
    return url + "/v1" if urlparse(url).path in ("", "/") else url


class EndpointGenerator:
    """Chat completions from an OpenAI-compatible server (llama.cpp, Ollama, vLLM, ...)."""

    def __init__(self, base_url: str, model: str | None = None, api_key: str | None = None,
                 timeout: float = 120.0) -> None:
        from openai import OpenAI

        self.base_url = normalize_base_url(base_url)
        self.client = OpenAI(base_url=self.base_url, api_key=api_key or "none", timeout=timeout, max_retries=1)
        self.model = model or self._first_listed_model() or "default"
        self.label = f"{self.model} at {self.base_url} (OpenAI-compatible endpoint)"

    def _first_listed_model(self) -> str | None:
        try:
            models = self.client.models.list()
            return next((m.id for m in models.data), None)
        except Exception:  # a server without /v1/models: let the request name the default
            return None

    def __call__(self, prompt: str) -> str:
        response = self.client.chat.completions.create(
            model=self.model, temperature=0.0,
            messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}])
        return response.choices[0].message.content or ""

    @classmethod
    def from_env(cls) -> EndpointGenerator | None:
        url = os.environ.get(URL_ENV, "").strip()
        if not url:
            return None
        return cls(url, os.environ.get(MODEL_ENV) or None, os.environ.get(KEY_ENV) or None)


def checkpoint_candidates(workspace: Path | None = None) -> list[Path]:
    """Where a trained course GPT may be, in order: $AIENG_TUTOR_GPT, the gpt-shakespeare exercise's output in the
    workspace (<workspace>/06_genai/gpt_runs/model.pt), and ./gpt_runs/model.pt (the training script's default)."""
    candidates = []
    if env := os.environ.get(GPT_ENV):
        candidates.append(Path(env).expanduser())
    if workspace is not None:
        candidates.append(Path(workspace) / "06_genai" / "gpt_runs" / "model.pt")
    candidates.append(Path.cwd() / "gpt_runs" / "model.pt")
    return candidates


class ToyGPTGenerator:
    """The course's own character-level GPT, from a ``model.pt`` of the training script. A toy: see the label."""

    def __init__(self, path: Path, max_new_tokens: int = 300) -> None:
        from aieng.lib.genai.train import load_trained

        self.path = Path(path)
        self.model, self.tokenizer = load_trained(self.path)
        self.max_new_tokens = max_new_tokens
        n = sum(p.numel() for p in self.model.parameters())
        self.label = (f"toy model: the course's own GPT ({n:,} parameters, {self.path}); a tiny model, not "
                      "grounded in the passages, usually wrong")

    def __call__(self, prompt: str) -> str:
        """Continue the instruction template for the question at the end of `prompt`, greedily, up to a newline."""
        import torch

        question = prompt.rsplit("Question:", 1)[-1].rsplit("Answer:", 1)[0].strip() if "Question:" in prompt \
            else prompt.strip()
        text = TOY_TEMPLATE.format(question=" ".join(question.split()))
        known = getattr(self.tokenizer, "index", None)  # a character vocabulary: drop characters it never saw
        if known is not None:
            text = "".join(c for c in text if c in known)
        ids = self.tokenizer.encode(text) or [0]
        block = int(getattr(self.model, "block_size", len(ids)))
        idx = torch.tensor([ids[-block:]], dtype=torch.long)
        out = self.model.generate(idx, self.max_new_tokens, temperature=0.0)
        reply = self.tokenizer.decode(out[0, idx.shape[1]:].tolist())
        return reply.split("\n", 1)[0].strip()

    @classmethod
    def find(cls, workspace: Path | None = None) -> ToyGPTGenerator | None:
        for path in checkpoint_candidates(workspace):
            if path.is_file():
                try:
                    return cls(path)
                except Exception:  # an unreadable or foreign checkpoint: try the next place
                    continue
        return None


def pick_generator(workspace: Path | None = None, use_toy: bool = True) -> Generator | None:
    """The first available generator: the configured endpoint, else the toy GPT, else None."""
    endpoint = EndpointGenerator.from_env()
    if endpoint is not None:
        return endpoint
    return ToyGPTGenerator.find(workspace) if use_toy else None
