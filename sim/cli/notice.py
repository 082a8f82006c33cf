"""A line on the console when a step takes longer than a few seconds, so that no command waits in silence."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SLOW_S = 3.0  # a step longer than this says what it is doing


@contextmanager
def if_slow(message: str, after: float = SLOW_S, emit: Callable[[str], None] | None = None) -> Iterator[None]:
    """Print `message` (on stderr, or through `emit`) if the block is still running `after` seconds in; nothing
    if it ends sooner. The timer runs in a daemon thread and is cancelled when the block ends."""

    def default(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    timer = threading.Timer(after, emit or default, args=(message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
