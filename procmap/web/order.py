"""The order of the stage files chosen on the page: as the person chose them, unless the files say it.

A saving's sign depends on which stage comes first, so the page never guesses from the look of a
name (``etter`` sorts before ``før``). The files say the order when every name begins with a
number of its own (``1-manual``, ``2-eskjema``, ``03 integrert``; ``10`` after ``9``), or when
every file's own ``stage`` is one of procmap's stage words (``manual``, ``e-form``,
``integrated``). Otherwise the order is the one the files were chosen in (the multipart order,
as ``procmap compare`` keeps the order of its arguments), and the page says so.
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Sequence, TypeVar

from procmap.web.sessions import StageFile

_LEADING_NUMBER = re.compile(r"\s*(\d+)")
#: procmap's own stage words (the lite ``stage`` attribute), oldest first.
STAGE_WORDS = ("manual", "e-form", "integrated")

S = TypeVar("S", bound=StageFile)


def file_number(stage: StageFile) -> Optional[int]:
    """The number the file's name begins with (``03 integrert.bpmn`` -> 3), or None."""
    found = _LEADING_NUMBER.match(stage.upload.name)
    return int(found.group(1)) if found else None


def stage_word(stage: StageFile) -> Optional[int]:
    """The place of the file's own stage among :data:`STAGE_WORDS`, or None."""
    own = (stage.own_stage or "").strip().casefold()
    return STAGE_WORDS.index(own) if own in STAGE_WORDS else None


RANKS: tuple[Callable[[StageFile], Optional[int]], ...] = (file_number, stage_word)


def told_by(stages: Sequence[StageFile]) -> Optional[Callable[[StageFile], Optional[int]]]:
    """The rank that orders every one of these files, each a different place; None when none does."""
    for rank in RANKS:
        places = [rank(s) for s in stages]
        if None not in places and len(set(places)) == len(places):
            return rank
    return None


def ordered(stages: Sequence[S]) -> list[S]:
    """The stages in the order their files give, else as they are."""
    rank = told_by(stages)
    return sorted(stages, key=rank) if rank else list(stages)  # type: ignore[arg-type,return-value]


__all__ = ["RANKS", "STAGE_WORDS", "file_number", "ordered", "stage_word", "told_by"]
