"""The result of comparing stages: the typed contract between compare and render.

`procmap.compare(...)` fills these; the renderer, the report and the routine
cards only read them. JSON shape (``Comparison.to_json()``) is documented in the
README and stable.
"""

from __future__ import annotations

from typing import Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from procmap.model.elements import Model, _Frozen

ChangeKind = Literal["kept", "renamed", "removed", "added", "moved", "kind_changed"]


#: The role name of the all-roles rows in savings (and the like).
TOTAL = "Total"


class Interval(_Frozen):
    """P10/P50/P90 of a Monte Carlo estimate."""

    p10: float
    p50: float
    p90: float


class RoleStage(_Frozen):
    """One role in one stage: how much there is to do."""

    role: str  # canonical role name, the same string in every stage
    present: bool  # False when the role has no lane in this stage
    lane_ids: list[str] = Field(default_factory=list)  # the model's role ids (lane ids, or process id) behind it
    tasks: int = 0
    tasks_by_type: dict[str, int] = Field(default_factory=dict)  # BPMN type -> count
    manual: int = 0  # tasks a person does (task, userTask, manualTask, call activities, sub-processes)
    automated: int = 0  # serviceTask, scriptTask, businessRuleTask, sendTask, receiveTask; every task of a system
    system: bool = False  # the user marked this role as a machine (--system, or the aliases table)
    handoffs_in: int = 0
    handoffs_out: int = 0
    minutes: Optional[float] = None  # per case, tasks with a figure; None when no task has one
    tasks_without_minutes: list[str] = Field(default_factory=list)  # task names
    hours_per_year: Optional[float] = None
    cost_per_year: Optional[float] = None


class Stage(_Frozen):
    name: str
    source: str
    roles: list[RoleStage]  # in Comparison.roles order, one per role (present or not)
    tasks: int
    minutes: Optional[float] = None  # the sum of the minutes known (see RoleStage.tasks_without_minutes)
    handoffs: int = 0  # sequence flows between lanes + message flows between pools (black boxes included)
    manual: int = 0  # of tasks: done by a person
    automated: int = 0  # of tasks: automated steps


class TaskChange(_Frozen):
    """What happened to one task between two consecutive stages."""

    from_stage: str
    to_stage: str
    change: ChangeKind
    role: str  # canonical role: the earlier one, or the later one for "added"
    role_after: Optional[str] = None  # for "moved": the role that does it now
    before_id: Optional[str] = None  # node id in the earlier stage
    after_id: Optional[str] = None  # node id in the later stage
    name_before: Optional[str] = None
    name_after: Optional[str] = None
    type_before: Optional[str] = None
    type_after: Optional[str] = None
    similarity: Optional[float] = None  # 1.0 for same id or same normalised name
    matched_by: Optional[str] = None  # "id", "name", "close" or "user" (--match) for a task in both stages
    minutes_before: Optional[float] = None
    minutes_after: Optional[float] = None


class Saving(_Frozen):
    """Yearly saving of one role (or 'Total') between two stages. Positive = less work."""

    role: str
    from_stage: str
    to_stage: str
    tasks: int  # tasks before minus tasks after
    manual: int = 0  # manual tasks before minus after
    automated: int = 0  # automated steps before minus after
    minutes_per_case: Optional[float] = None  # None: not known (a task without minutes changed)
    hours: Optional[float] = None
    money: Optional[float] = None
    fte: Optional[float] = None
    hours_interval: Optional[Interval] = None  # Monte Carlo, where ranges exist


class NearMiss(_Frozen):
    """Two tasks left apart that may be one: in one role, names that scored just under the similarity
    threshold; in two roles (``role_after`` set), names that would have matched in one role (moved and
    renamed at once). Confirm with ``--match 'OLD=NEW'`` if they are one task."""

    from_stage: str
    to_stage: str
    role: str  # the earlier task's role
    role_after: Optional[str] = None  # the later task's role, when it is another one
    before_id: str
    after_id: str
    name_before: str
    name_after: str
    similarity: float


class Settings(_Frozen):
    cases_per_year: Optional[float] = None
    rates: dict[str, float] = Field(default_factory=dict)  # canonical role -> cost per hour
    default_rate: Optional[float] = None
    hours_per_fte: float = 1695.0
    similarity: float = 0.8
    simulations: int = 0
    seed: Optional[int] = None
    currency: str = "NOK"

    def outside(self, role: str) -> bool:
        """Whether a role is outside the organisation: once rates are given, one without a rate (an
        applicant, say). Its hours count, but no money or work years, so no headline adds them to those."""
        priced = bool(self.rates) or self.default_rate is not None
        return priced and self.default_rate is None and self.rates.get(role) is None


class Comparison(BaseModel):
    """Stages of one service compared role by role."""

    model_config = ConfigDict(extra="forbid")

    roles: list[str]  # canonical role names in display order (the same order in every stage)
    stages: list[Stage]
    changes: list[TaskChange]
    savings: list[Saving]
    settings: Settings
    effort_known: bool  # False: no task had minutes, the comparison is counts only
    warnings: list[str] = Field(default_factory=list)
    near_misses: list[NearMiss] = Field(default_factory=list)  # pairs to review, per pair of stages

    def warnings_since(self, models: Sequence[Model]) -> list[str]:
        """What the compared files' diagrams said when a picture converted them, after the comparison was made.

        The models themselves never change (``Model.warnings`` is what reading said); a diagram left
        unparsed while reading keeps what its conversion found in ``model.geometry.warnings``.
        """
        said = set(self.warnings)
        return [w for model in models if model.geometry.loaded for w in model.geometry.warnings if w not in said]

    def hours_outside(self, from_stage: str, to_stage: str) -> dict[str, float]:
        """Hours a year saved between two stages by each role outside the organisation (see
        ``Settings.outside``) that saves any: what no headline may put beside money or work years. Empty
        when the total has no hours to take them from."""
        saved = {s.role: s.hours for s in self.savings if (s.from_stage, s.to_stage) == (from_stage, to_stage)}
        if saved.get(TOTAL) is None:
            return {}
        return {role: hours for role in self.roles if (hours := saved.get(role)) and self.settings.outside(role)}

    def to_json(self, indent: Optional[int] = 2) -> str:
        """The stable JSON shape (documented in the README): exactly these fields, UTF-8, no NaN."""
        return self.model_dump_json(indent=indent)

    def _repr_html_(self) -> str:
        """In a notebook: tasks (and minutes per case, when known) per role, roles as rows, stages as columns."""
        from html import escape

        head = "".join(f"<th>{escape(s.name)}</th>" for s in self.stages)
        rows = []
        for i, role in enumerate(self.roles):
            cells = []
            for stage in self.stages:
                rs = stage.roles[i]
                if not rs.present:
                    cells.append("<td>–</td>")
                    continue
                minutes = f" <small>({rs.minutes:g} min)</small>" if rs.minutes is not None else ""
                cells.append(f"<td>{rs.tasks}{minutes}</td>")
            rows.append(f"<tr><th>{escape(role)}</th>{''.join(cells)}</tr>")
        total = "".join(f"<td><b>{s.tasks}</b></td>" for s in self.stages)
        return (f"<table><thead><tr><th>tasks per role</th>{head}</tr></thead><tbody>{''.join(rows)}"
                f"<tr><th>all roles</th>{total}</tr></tbody></table>")
