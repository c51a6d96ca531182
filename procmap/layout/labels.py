"""Where a text that floats beside a line goes: the first free spot of a few, in procmap's own layout.

A flow's name and a handoff note ("fra X", "til X") belong next to a line or under a box, but the
spot they would take may already hold a box, another name or a line. Each is tried at a few spots
in turn (the usual one first, so a free picture looks as before) and takes the first that nothing
already placed covers. What is placed sits in a grid of buckets, so a try looks only at its
neighbours: linear in the size of the picture, never all pairs.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Sequence

from procmap.layout.scene import Box

CELL = 96.0  # bucket size in diagram units: about a task's width
LINE_PAD = 1.5  # half the room a line takes
ASCENT, DESCENT = 0.8, 0.25  # a line of text from its baseline, in font sizes (capitals and descenders)

Point = tuple[float, float]
Spot = tuple[float, float, str]  # x, baseline y, anchor


def text_box(x: float, y: float, width: float, size: float, anchor: str = "start") -> Box:
    """The box a line of text of this width covers, from its anchor point and baseline."""
    left = x - (width / 2 if anchor == "middle" else width if anchor == "end" else 0.0)
    return left, y - ASCENT * size, width, (ASCENT + DESCENT) * size


class Taken:
    """Boxes already drawn, in buckets of CELL x CELL."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    @staticmethod
    def _span(lo: float, size: float) -> range:
        return range(int(lo // CELL), int((lo + size) // CELL) + 1)

    def add(self, box: Box) -> None:
        cells, rows = self.cells, self._span(box[1], box[3])
        for i in self._span(box[0], box[2]):
            for j in rows:
                bucket = cells.get((i, j))
                if bucket is None:
                    cells[i, j] = [box]
                else:
                    bucket.append(box)

    def add_line(self, points: Sequence[Point]) -> None:
        """A polyline, as one thin box per segment."""
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            self.add((min(x0, x1) - LINE_PAD, min(y0, y1) - LINE_PAD,
                      abs(x1 - x0) + 2 * LINE_PAD, abs(y1 - y0) + 2 * LINE_PAD))

    def free(self, box: Box) -> bool:
        x, y, w, h = box
        rows = self._span(y, h)
        for i in self._span(x, w):
            for j in rows:
                for bx, by, bw, bh in self.cells.get((i, j), ()):
                    if x < bx + bw and bx < x + w and y < by + bh and by < y + h:
                        return False
        return True


def place(taken: Taken, spots: Iterable[Spot], width: float, size: float) -> Optional[Spot]:
    """The first spot where the text is free of everything taken (then taken itself); None when none is."""
    for spot in spots:
        box = text_box(spot[0], spot[1], width, size, spot[2])
        if taken.free(box):
            taken.add(box)
            return spot
    return None


def along(points: Sequence[Point], width: float, size: float) -> Iterator[Spot]:
    """Spots for a flow's name beside each segment of its line, first segment first: near its start, in its
    middle and near its end, on either side (above or below a level segment, right or left of an upright one)."""
    gap = 4.0
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if abs(y1 - y0) <= abs(x1 - x0):  # level: the name above or below, inside the segment's length
            lo, hi = min(x0, x1), max(x0, x1)
            if hi - lo < width + 2 * gap:
                continue
            for x in (lo + gap, (lo + hi - width) / 2, hi - width - 2 * gap):
                yield x, y0 - gap, "start"
                yield x, y0 + gap + ASCENT * size, "start"
        else:  # upright: the name right or left of the line, inside the segment's height
            lo, hi = min(y0, y1), max(y0, y1)
            if hi - lo < size + 2 * gap:
                continue
            for y in (lo + gap + ASCENT * size, (lo + hi) / 2 + size / 3, hi - gap - DESCENT * size):
                yield x0 + gap, y, "start"
                yield x0 - gap - width, y, "start"
