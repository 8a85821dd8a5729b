"""Worker processes that render a big show's pages, and how many to start."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from msaudio.publish.pages_html import _render_version, _template

PAGES_PER_PROCESS = 500
"""Pages to render for each process (this one and its workers) started, up to one per CPU.

Fewer would hardly repay starting a worker (some 0.2 s).
"""


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """``workers`` worker processes, if any, starting now.

    Started afresh ("spawn"), which is safe whatever threads this process runs.
    """
    if workers < 1:
        return None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_interrupts,
        )
    except (OSError, ImportError, NotImplementedError):  # no multiprocessing here
        return None
    for _ in range(workers):  # processes start on demand: ask for them now
        pool.submit(_warm_up)
    return pool


def _warm_up() -> None:
    """In a worker, while it waits for pages: what the first page would otherwise wait for."""
    _template("episode.html.j2")
    _render_version()


def _ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to the main process, which stops handing out batches."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector for a while.

    Writing pages makes hundreds of thousands of small tuples that live until
    it is done, and no reference cycles, so the full collections they set off
    (each walking every object the caller holds too) found nothing to free,
    for several per cent of the time a big show's pages take.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _jobs(requested: int | None, pages: int) -> int:
    """How many processes should render ``pages`` pages."""
    if pages < 1 or requested is None or requested <= 1:
        return 1
    return max(min(requested, pages // PAGES_PER_PROCESS), 1)
