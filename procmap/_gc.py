"""One switch for the cyclic garbage collector, shared by reading, comparing and drawing.

The collector's switch is process-wide, and a web server runs many readings and
drawings at once in one process. A pause that each caller turned off and back on by
itself would race: thread A finds the collector on and turns it off, thread B then
finds it off and keeps that as "the state before"; when A ends first it turns the
collector on, and when B ends it turns it off again, for good.

So the pauses are counted under one lock instead: the first pause to begin records
``gc.isenabled()`` and switches the collector off, later ones (nested, or in other
threads) only count, and the last one to end restores what the first one found. The
collector is therefore off exactly while at least one pause runs, and afterwards as it
was before, however the pauses nest or overlap and whether or not they raise.

Why not leave the collector alone and pause it only at the edges of a process (the
CLI, a worker)? Then every library user would pay the 30 % that pausing saves, or
have to know about it. The counted pause keeps that gain for everyone; its one cost
is that while pauses overlap without a gap the collector stays off for the whole
process, so cycles other code makes meanwhile are freed only when the last pause
ends (the next collection after that finds them). Code that switches the collector
itself while a pause runs gets its state replaced by the one found at the start.
Each process has its own collector and its own count, so process pools need nothing.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0  # pauses running now, in all threads (guarded by _lock)
_was_enabled = False  # what the first of them found (guarded by _lock)


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector while many small acyclic objects are made.

    Reading, comparing and drawing build hundreds of thousands of tuples, dicts and
    models and no cycles; left running, the collector re-scans all of them again and
    again (about 30 % of the time on a large model, and superlinear).

    Safe to nest and to run from many threads at once (see the module's docstring).
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
