"""A small progress bar for commands that work through large files."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws one line on a terminal; silent when the stream is not a terminal."""

    def __init__(
        self, *, label: str, total: int | None, stream: TextIO | None = None, force: bool = False
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.count = 0
        self._last_draw = 0.0

    def advance(self, step: int = 1) -> None:
        self.count += step
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw >= 0.1:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        if self.total:
            fraction = min(self.count / self.total, 1.0)
            filled = int(fraction * 30)
            bar = "#" * filled + "." * (30 - filled)
            line = f"\r{self.label} [{bar}] {fraction:4.0%} {self.count}/{self.total}"
        else:
            line = f"\r{self.label} {self.count}"
        self.stream.write(line)
        self.stream.flush()

    def finish(self) -> None:
        """Draw the final state: the count reached is the whole."""
        self.total = self.count
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
