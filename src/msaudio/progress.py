"""Build progress on a terminal: a bar over episodes and sentences, with the time left.

Drawn on one line of standard error, redrawn at most ten times a second, and
erased before any other line is printed, so log lines and errors stay readable.
Used only when standard error is a terminal; otherwise the build prints plain
lines (one per episode narrated).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TextIO

from msaudio.publish.transcript import player_clock

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a time left, to the nearest second."""
    return player_clock(round(seconds))


class TerminalProgress:
    """Implements :class:`msaudio.build.Progress` on a terminal stream."""

    def __init__(self, stream: TextIO, now: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._now = now
        self._episodes: list[tuple[str, int]] = []
        self._episode = 0
        self._done = 0
        self._total = 0
        self._started = 0.0
        self._drawn = -1.0
        self._width = 0

    def start(self, episodes: Sequence[tuple[str, int]]) -> None:
        self._episodes = list(episodes)
        self._total = sum(count for _, count in self._episodes) or 1
        self._started = self._now()
        self._draw(force=True)

    def sentence(self) -> None:
        self._done += 1
        self._draw()

    def episode_done(self) -> None:
        if self._episode < len(self._episodes):
            # Sentences of a failed episode count as done: they will not be spoken.
            self._done = sum(count for _, count in self._episodes[: self._episode + 1])
            self._episode += 1
        self._draw(force=True)

    def clear(self) -> None:
        """Erase the bar (before printing a line, and at the end)."""
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def line(self) -> str:
        """The progress line as it would be drawn now."""
        count = len(self._episodes)
        name = self._episodes[min(self._episode, count - 1)][0] if count else ""
        fraction = min(1.0, self._done / self._total)
        filled = round(fraction * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        elapsed = self._now() - self._started
        left = "estimating time left"
        if self._done and fraction < 1.0:
            left = f"about {clock(elapsed / fraction - elapsed)} left"
        elif fraction >= 1.0:
            left = "finishing"
        episode = min(self._episode + 1, count)
        return f"[{bar}] episode {episode}/{count} {name}  {self._done}/{self._total}  {left}"

    def _draw(self, force: bool = False) -> None:
        moment = self._now()
        if not force and moment - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = moment
        text = self.line()
        padding = max(0, self._width - len(text))
        self._stream.write("\r" + text + " " * padding)
        self._stream.flush()
        self._width = len(text)
