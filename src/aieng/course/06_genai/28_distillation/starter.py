"""Knowledge distillation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check distillation`.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch  # noqa: F401  (torch.optim.Adam, torch.no_grad)
import torch.nn.functional as F  # noqa: F401  (log_softmax, cross_entropy)
from torch import Tensor, nn


def distillation_loss(student_logits: Tensor, teacher_logits: Tensor, temperature: float = 2.0,
                      labels: Tensor | None = None, alpha: float = 0.0) -> Tensor:
    """T^2 * KL(softmax(z_t / T) || softmax(z_s / T)), averaged over rows, + alpha * cross_entropy(z_s, labels).

    student_logits, teacher_logits: (..., V), same shape; a row is one position (flatten every axis but the last:
    (B, T, V) language-model logits are B*T rows). labels: (...) int64, used when alpha > 0 (the cross-entropy
    takes the unsoftened student logits). Returns a 0-d tensor. Gradients must reach the student only (detach
    the teacher's logits). Raise ValueError for shapes that differ, temperature <= 0, alpha > 0 without labels.
    """
    raise NotImplementedError


def logit_matching_loss(student_logits: Tensor, teacher_logits: Tensor) -> Tensor:
    """The large-temperature limit: 1/(2V) * sum_v ((z_s - mean z_s) - (z_t - mean z_t))^2, averaged over rows.

    The means are over each row's V logits. Returns a 0-d tensor; no gradient to the teacher.
    """
    raise NotImplementedError


def distill(student: nn.Module, teacher: nn.Module, batches: Iterable[tuple[Tensor, Tensor]], *,
            temperature: float = 2.0, alpha: float = 0.0, lr: float = 1e-2) -> list[float]:
    """Train `student` with the distillation loss; return the loss (a float) of every step.

    Make one torch.optim.Adam(student.parameters(), lr=lr) for the run; put the teacher in eval mode and the
    student in train mode; for each (x, y) in batches: teacher logits under torch.no_grad(), student logits,
    loss = distillation_loss(student(x), teacher_logits, temperature, y, alpha), zero_grad, backward, step.
    """
    raise NotImplementedError
