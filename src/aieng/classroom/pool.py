"""A bounded grading pool: at most `size` checks run at once, the rest wait their turn. Each check is a
sandboxed child process (up to 2 GiB), so the bound is what keeps 30 learners pressing "Check" together
from exhausting the server's memory."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class GradingPool:
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"the grading pool needs at least one slot, got {size}")
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0
        self.peak = 0  # most checks ever running at once

    def run(self, job: Callable[[], T]) -> T:
        """Run `job` when a slot is free (blocking the calling worker thread until then)."""
        with self._lock:
            self.waiting += 1
        with self._slots:
            with self._lock:
                self.waiting -= 1
                self.running += 1
                self.peak = max(self.peak, self.running)
            try:
                return job()
            finally:
                with self._lock:
                    self.running -= 1
