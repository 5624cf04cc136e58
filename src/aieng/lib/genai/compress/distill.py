"""Knowledge distillation (Hinton, Vinyals and Dean, 2015): train a small student to reproduce a large
teacher's whole output distribution, softened by a temperature, not just the one correct token.

    p_t = softmax(z_t / T),  p_s = softmax(z_s / T)
    L_KD = T^2 * KL(p_t || p_s) = T^2 * sum_v p_t,v (log p_t,v - log p_s,v)        (mean over rows)
    L = L_KD + alpha * CE(z_s, labels)                                             (alpha = 0: pure KD)

Why T^2: the gradient of KL(p_t || p_s) with respect to z_s is (p_s - p_t) / T, and the softened
probabilities differ by O(1/T), so the gradient shrinks like 1/T^2; multiplying by T^2 keeps its size (and
its balance with the hard-label term) roughly independent of T. As T -> infinity,
softmax(z / T) ~ (1 + (z - mean z) / T) / V, and the loss tends to logit matching:

    T^2 KL(p_t || p_s) -> 1/(2V) * sum_v ((z_s,v - mean z_s) - (z_t,v - mean z_t))^2,

half the mean squared error of the mean-centred logits (their gradient: ((z_s - mean) - (z_t - mean)) / V).
The gap closes like 1/T. A softmax ignores a constant added to all logits, hence the centring.

Rows are everything but the last axis: (B, T, V) language-model logits count B*T rows (torch's
kl_div(..., reduction="batchmean") divides by the first dimension only, so flatten first). The teacher is
a fixed target: no gradient flows into its logits.

Left out: intermediate-layer (feature/attention) distillation, sequence-level KD (training on teacher
generations), on-policy/reverse-KL distillation of LLMs.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["distill", "distillation_loss", "logit_matching_loss"]


def _rows(student_logits: Tensor, teacher_logits: Tensor) -> tuple[Tensor, Tensor]:
    for name, z in (("student_logits", student_logits), ("teacher_logits", teacher_logits)):
        if not isinstance(z, Tensor) or not torch.is_floating_point(z) or z.ndim < 1 or z.shape[-1] == 0:
            raise ValueError(f"{name} must be a floating tensor of shape (..., V) with V >= 1")
    if student_logits.shape != teacher_logits.shape:
        raise ValueError(f"student and teacher logits differ in shape: {tuple(student_logits.shape)} vs "
                         f"{tuple(teacher_logits.shape)}")
    if student_logits.numel() == 0:
        raise ValueError("no rows of logits")
    vocab = student_logits.shape[-1]
    return student_logits.reshape(-1, vocab), teacher_logits.detach().reshape(-1, vocab)


def distillation_loss(student_logits: Tensor, teacher_logits: Tensor, temperature: float = 2.0,
                      labels: Tensor | None = None, alpha: float = 0.0) -> Tensor:
    """T^2 KL(softmax(z_t / T) || softmax(z_s / T)), averaged over rows, plus alpha * cross-entropy(z_s, labels).

    Logits (..., V) of equal shape; labels (...) int64 class ids, required when alpha > 0 (the cross-entropy
    uses the unsoftened logits, T = 1). Returns a 0-d tensor; gradients reach the student only. O(N V).

    >>> z = torch.tensor([[1.0, 2.0, 3.0]])
    >>> float(distillation_loss(z, z, temperature=4.0))   # identical logits: nothing to learn
    0.0
    """
    s, t = _rows(student_logits, teacher_logits)
    if not temperature > 0 or temperature == float("inf"):
        raise ValueError(f"temperature must be positive and finite, got {temperature}")
    if not alpha >= 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    log_p_s = F.log_softmax(s / temperature, dim=-1)
    log_p_t = F.log_softmax(t / temperature, dim=-1)
    loss = temperature**2 * (log_p_t.exp() * (log_p_t - log_p_s)).sum(dim=-1).mean()
    if alpha > 0:
        if labels is None:
            raise ValueError("alpha > 0 needs the labels")
        if labels.shape != student_logits.shape[:-1]:
            raise ValueError(f"labels must have shape {tuple(student_logits.shape[:-1])}, got {tuple(labels.shape)}")
        loss = loss + alpha * F.cross_entropy(s, labels.reshape(-1))
    return loss


def logit_matching_loss(student_logits: Tensor, teacher_logits: Tensor) -> Tensor:
    """The T -> infinity limit of T^2 KL: 1/(2V) sum_v (centred z_s - centred z_t)^2, averaged over rows.

    Centred: minus the row's mean over the V logits. A 0-d tensor; gradients reach the student only.

    >>> float(logit_matching_loss(torch.tensor([[0.0, 2.0]]), torch.tensor([[5.0, 5.0]])))
    0.5
    """
    s, t = _rows(student_logits, teacher_logits)
    diff = (s - s.mean(dim=-1, keepdim=True)) - (t - t.mean(dim=-1, keepdim=True))
    return 0.5 * diff.pow(2).mean()


def distill(student: nn.Module, teacher: nn.Module, batches: Iterable[tuple[Tensor, Tensor]], *,
            temperature: float = 2.0, alpha: float = 0.0, lr: float = 1e-2) -> list[float]:
    """Train `student` on `batches` of (x, y) with the distillation loss; returns the loss of every step.

    One step per batch: teacher logits under torch.no_grad() (teacher in eval mode), student logits,
    distillation_loss(student(x), teacher(x), temperature, y, alpha), then torch.optim.Adam(lr) (one
    optimizer for the whole run, default betas). Works for any models mapping x to logits (..., V) with
    labels y (...), e.g. GPTs on (B, T) token windows. The student is left in train mode.
    """
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    optimizer = torch.optim.Adam(student.parameters(), lr=lr)
    teacher.eval()
    student.train()
    losses = []
    for x, y in batches:
        with torch.no_grad():
            target = teacher(x)
        loss = distillation_loss(student(x), target, temperature, y, alpha)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
