"""One switch for the cyclic garbage collector, shared by reading, comparing and drawing."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector while many small acyclic objects are made.

    Reading, comparing and drawing build hundreds of thousands of tuples, dicts and
    models and no cycles; left running, the collector re-scans all of them again and
    again (about 30 % of the time on a large model, and superlinear).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
