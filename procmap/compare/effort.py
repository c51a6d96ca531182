"""Effort and what it is worth: efforts overrides, hours/money/FTE, and the Monte Carlo range.

- :class:`Overrides` applies an efforts table to the tasks of each stage (by id
  or normalised name; a row with a stage applies to that stage only and beats a
  row without one) and remembers which rows were never used.
- :func:`yearly` turns minutes per case into hours, money and FTE.
- :func:`simulate` draws every task's minutes from a two-piece triangular distribution
  (low, minutes as written, high: the written figure is both its most likely and its middle
  value) and returns P10/P50/P90 of the yearly hours saved; every figure uses that
  distribution's mean, the PERT mean (low + 4 minutes + high) / 6 (see :class:`TaskEffort`).
  A task that lives on in a later stage keeps its random draw (common random
  numbers), so an unchanged task never adds noise to a saving; the run is
  seeded and reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Sequence

from procmap.compare.result import TOTAL, Interval
from procmap.compare.inputs import EffortRow, EffortTable
from procmap.compare.match import normalise

if TYPE_CHECKING:  # numpy is imported by the simulation only: reading and counting never need it
    import numpy as np

    from procmap.model.elements import FlowNode


@dataclass(frozen=True, slots=True)
class TaskEffort:
    """Minutes per case of one task in one stage; low == high == minutes when there is no range.

    ``mode`` is the figure as written; ``minutes`` is the estimate every figure uses: the PERT
    mean (low + 4 mode + high) / 6, which is exactly the mean of the distribution the Monte Carlo
    range draws from (see :func:`_draw`), so a figure sits inside its own P10-P90 range. Without
    a range it is the figure as written.
    """

    minutes: float
    low: float
    high: float
    mode: float  # as written

    @property
    def ranged(self) -> bool:
        return self.low < self.high


class Overrides:
    """An efforts table, ready to look up (stage, task id, task name) -> row."""

    def __init__(self, table: Optional[EffortTable], stage_names: Sequence[str]):
        self.table = table
        self.used: set[int] = set()
        self.warnings: list[str] = []
        self._index: dict[tuple[Optional[str], str, str], EffortRow] = {}  # (stage key, 'id'|'name', key)
        if table is None:
            return
        stages = {normalise(s): s for s in stage_names}
        for row in table.rows:
            stage_key = None
            if row.stage:
                stage_key = normalise(row.stage)
                if stage_key not in stages:
                    self.warnings.append(f"{table.source}:{row.line}: stage '{row.stage}' is not one of "
                                         f"{', '.join(stage_names)}; row ignored")
                    self.used.add(row.line)  # reported here, not again as an unknown task
                    continue
            for how, key in (("id", row.task), ("name", normalise(row.task))):
                slot = (stage_key, how, key)
                earlier = self._index.get(slot)
                if earlier is not None and how == "id":
                    self.warnings.append(f"{table.source}:{row.line}: task '{row.task}' is also on line "
                                         f"{earlier.line}; line {row.line} wins")
                self._index[slot] = row

    def lookup(self, stage: str, task_id: str, task_name: str) -> Optional[EffortRow]:
        """The row for this task: stage-specific before any-stage, id before name."""
        if not self._index:
            return None
        stage_key, name_key = normalise(stage), normalise(task_name)
        for slot in ((stage_key, "id", task_id), (stage_key, "name", name_key),
                     (None, "id", task_id), (None, "name", name_key)):
            if slot[2] == "":
                continue
            row = self._index.get(slot)
            if row is not None:
                self.used.add(row.line)
                return row
        return None

    def unused(self) -> list[EffortRow]:
        if self.table is None:
            return []
        return [row for row in self.table.rows if row.line not in self.used]

    def effort(self, stage: str, node: "FlowNode") -> Optional[TaskEffort]:
        """A task's effort in a stage: the table's row for it, else the file's figure (None: not known)."""
        own = node.effort
        return effort_of(self.lookup(stage, node.id, node.name), own.minutes if own else None,
                         own.low if own else None, own.high if own else None)

    def unused_warning(self, stage: Optional[str] = None) -> Optional[str]:
        """One warning for the rows no lookup used (with `stage`, only rows for every stage or that one:
        a card of one stage does not know the others)."""
        unused = self.unused()
        if stage is not None:
            unused = [r for r in unused if not r.stage or normalise(r.stage) == normalise(stage)]
        if not unused:
            return None
        rows = "; ".join(f"line {r.line} '{r.task}'" + (f" (stage {r.stage})" if r.stage else "") for r in unused)
        return (f"{self.table.source}: {len(unused)} row{'s match' if len(unused) > 1 else ' matches'} "  # type: ignore[union-attr]
                f"no task (by id or name): {rows}; ignored")


def effort_of(row: Optional[EffortRow], minutes: Optional[float], low: Optional[float],
              high: Optional[float]) -> Optional[TaskEffort]:
    """The effort that counts: the table row if there is one, else the model's figure (or None)."""
    if row is not None:
        minutes, low, high = row.minutes, row.low, row.high
    if minutes is None:
        return None
    low = minutes if low is None else min(low, minutes)
    high = minutes if high is None else max(high, minutes)
    expected = minutes if low == high else (low + 4.0 * minutes + high) / 6.0  # as Effort.expected
    return TaskEffort(minutes=expected, low=low, high=high, mode=minutes)


@dataclass(frozen=True)
class Yearly:
    hours: Optional[float]
    money: Optional[float]
    fte: Optional[float]


def yearly(minutes_per_case: Optional[float], cases_per_year: Optional[float], rate: Optional[float],
           hours_per_fte: float) -> Yearly:
    """Minutes per case -> hours, money and full-time equivalents per year (None where unknown)."""
    if minutes_per_case is None or cases_per_year is None:
        return Yearly(None, None, None)
    hours = minutes_per_case * cases_per_year / 60.0
    return Yearly(hours=hours, money=None if rate is None else hours * rate, fte=hours / hours_per_fte)


# --------------------------------------------------------------------------- Monte Carlo
@dataclass(frozen=True)
class SimTask:
    """One task in one stage as the simulation sees it."""

    identity: int  # the same number for the same task in every stage it lives in
    role: int  # index into the role list
    effort: TaskEffort


_CHUNK_CELLS = 2_000_000  # simulations x tasks drawn at once (bounds memory to some 50 MB)


@dataclass
class _PairPlan:
    constant: np.ndarray  # minutes saved by tasks without a range, per role and total
    ranged: np.ndarray  # bool per role and total: an interval is reported
    columns: list[int]  # identity column of each drawn term
    weights: np.ndarray  # (terms, roles + 1): +1 before, -1 after, in the task's role and the total
    params: np.ndarray  # (terms, 3): low, mode, high


def simulate(stages: Sequence[Sequence[SimTask]], pairs: Sequence[tuple[int, int]], n_roles: int,
             cases_per_year: float, simulations: int, seed: int) -> dict[tuple[int, int], list[Optional[Interval]]]:
    """P10/P50/P90 of the yearly hours saved, per pair of stages, per role (the last entry is the total).

    A role gets an interval when one of its tasks has a range in either stage
    of the pair; otherwise its saving is exact and the entry is None.
    """
    import numpy as np

    plans = {pair: _plan(stages, pair, n_roles) for pair in pairs}
    drawn = sorted({c for plan in plans.values() for c in plan.columns})
    position = {c: k for k, c in enumerate(drawn)}
    totals = {pair: np.tile(plan.constant, (simulations, 1)) for pair, plan in plans.items()}
    if drawn:
        rng = np.random.default_rng(seed)
        index = {pair: np.array([position[c] for c in plan.columns], dtype=np.intp) for pair, plan in plans.items()}
        step = max(1, min(simulations, _CHUNK_CELLS // len(drawn)))
        for start in range(0, simulations, step):
            # One uniform draw per (simulation, task identity), shared by every stage and every pair.
            u = rng.random((min(step, simulations - start), len(drawn)), dtype=np.float32)
            for pair, plan in plans.items():
                if plan.columns:
                    p = plan.params
                    minutes = _draw(u[:, index[pair]], p[:, 0], p[:, 1], p[:, 2])
                    totals[pair][start:start + len(u)] += minutes @ plan.weights
    out: dict[tuple[int, int], list[Optional[Interval]]] = {}
    scale = cases_per_year / 60.0
    for pair, plan in plans.items():
        q = np.percentile(totals[pair] * scale, [10, 50, 90], axis=0)
        out[pair] = [Interval(p10=float(q[0, r]), p50=float(q[1, r]), p90=float(q[2, r])) if plan.ranged[r]
                     else None for r in range(n_roles + 1)]
    return out


def _plan(stages: Sequence[Sequence[SimTask]], pair: tuple[int, int], n_roles: int) -> _PairPlan:
    import numpy as np

    a, b = pair
    before = {t.identity: t for t in stages[a]}
    after = {t.identity: t for t in stages[b]}
    constant = np.zeros(n_roles + 1)
    ranged = np.zeros(n_roles + 1, dtype=bool)
    columns: list[int] = []
    signs: list[float] = []
    roles: list[int] = []
    params: list[tuple[float, float, float]] = []
    for ident in sorted(before.keys() | after.keys()):
        tb, ta = before.get(ident), after.get(ident)
        for t in (tb, ta):
            if t is not None and t.effort.ranged:
                ranged[t.role] = ranged[n_roles] = True
        if tb is not None and ta is not None and tb.role == ta.role and tb.effort == ta.effort:
            continue  # the same task with the same figures saves exactly nothing, in every draw
        for t, sign in ((tb, 1.0), (ta, -1.0)):
            if t is None:
                continue
            if t.effort.ranged:
                columns.append(ident)
                signs.append(sign)
                roles.append(t.role)
                params.append((t.effort.low, t.effort.mode, t.effort.high))
            else:
                constant[t.role] += sign * t.effort.minutes
                constant[n_roles] += sign * t.effort.minutes
    weights = np.zeros((len(columns), n_roles + 1), dtype=np.float32)
    if columns:
        weights[np.arange(len(columns)), roles] = signs
        weights[:, n_roles] = signs
    return _PairPlan(constant=constant, ranged=ranged, columns=columns, weights=weights,
                     params=np.array(params, dtype=np.float32).reshape(-1, 3))


def _draw(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF at u of the two-piece triangular distribution on (low, mode, high) (broadcast over
    columns; every range has low < high): half the mass rises from low to the mode, half falls from
    the mode to high, so the mode is also the median, and the mean is the PERT mean
    (low + 4 mode + high) / 6. Written in place: this is the one place that touches simulations x tasks.

    low + (mode - low) sqrt(2u) below the middle, high - (high - mode) sqrt(2 (1 - u)) above it.
    """
    import numpy as np

    below = u < 0.5
    x = np.where(below, u, 1.0 - u)
    x *= 2.0
    np.sqrt(x, out=x)
    x *= np.where(below, mode - low, high - mode)
    np.negative(x, out=x, where=~below)
    x += np.where(below, low, high)
    return x
