"""Compare the stages of one service role by role: `procmap.compare(models) -> Comparison`.

One pure function from models to the result contract in
:mod:`procmap.compare.result`. Matching lives in :mod:`procmap.compare.match`, effort,
money and the Monte Carlo range in :mod:`procmap.compare.effort`, the side tables in
:mod:`procmap.compare.inputs`; this module puts them together:

1. name the stages (``stages=``, else the model's ``stage``, else the file name);
2. give every lane its canonical role (aliases, normalised names);
3. per stage and role: tasks by kind, manual/automated, handoffs, minutes;
4. per pair of consecutive stages: what happened to each task;
5. savings between consecutive stages and first -> last: hours, money, FTE, P10/P50/P90.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

from procmap._gc import paused as paused_gc
from procmap.compare.result import Comparison, NearMiss, RoleStage, Saving, Settings, Stage, TaskChange
from procmap.compare.effort import TOTAL, Overrides, SimTask, TaskEffort, simulate, yearly
from procmap.errors import CompareError
from procmap.compare.inputs import MatchRow, load_efforts, load_matches, load_rates, read_aliases
from procmap.compare.match import RoleNames, TaskRef, match_tasks, normalise
from procmap.compare.match import similarity as name_similarity
from procmap.model.elements import FlowNode, Model
from procmap.bpmn.reader import read
from procmap.options import CompareOptions, parse_alias, parse_pair


#: The role of nodes that sit in no lane although their process has lanes.
NO_LANE = "(no lane)"
#: Warnings list at most this many names (the tables and the JSON have them all).
_LISTED = 20

ModelSource = Union[Model, str, Path]
_FILE_SUFFIXES = (".lite.xml", ".bpmn20.xml", ".bpmn2", ".bpmn", ".xml")


@dataclass(slots=True)
class _Task:
    index: int
    node: FlowNode
    role: str
    effort: Optional[TaskEffort]
    key: str  # normalised name


@dataclass
class _Stage:
    name: str
    model: Model
    tasks: list[_Task]
    role_of_id: dict[str, str]  # model role id -> canonical role
    node_role: dict[str, str]  # node id -> canonical role, for every node that has one
    systems: set[str]  # canonical roles the user marked as machines


def compare(models: Sequence[ModelSource], options: Optional[CompareOptions] = None, /,
            **settings: Any) -> Comparison:
    """Compare two or more stages of one service, role by role.

    ``models`` are :class:`Model` objects or paths (BPMN 2.0 or BPMN-lite, in
    stage order). ``options`` (:class:`procmap.CompareOptions`) says how; any of its
    fields may also be given as a keyword, on top of ``options``:

    ``stages`` names the stages (a list, or "manual,e-form,integrated").
    ``aliases`` maps lane names to roles (or is an alias CSV with columns
    alias,role), ``alias`` adds 'LANE=ROLE' strings on top. ``efforts`` (CSV or
    DataFrame: task, minutes, low, high, stage) overrides the minutes in the models.
    ``cases_per_year`` turns minutes into hours. ``rates`` gives a cost per hour per
    role (mapping, or CSV role,rate); ``rate`` is the rate of every role the table
    does not name. ``similarity`` is the lowest name similarity (0-1) at which two
    differently named tasks of a role count as the same task. ``simulations``
    Monte Carlo draws (0 = none) with ``seed`` (None = a fresh seed, recorded in
    ``settings.seed``) give P10/P50/P90 of the hours saved.

    Raises :class:`OptionError` for a bad option, :class:`CompareError` for fewer
    than two stages and for bad tables, :class:`ReadError` for a file that cannot be read.
    """
    opts = options if options is not None else CompareOptions()
    if settings:
        opts = opts.replace(**settings)
    if len(models) < 2:
        raise CompareError("need at least two stages to compare; to look at one file use `procmap inspect FILE`")
    loaded = [m if isinstance(m, Model) else read(m) for m in models]
    with paused_gc():
        return _compare(loaded, opts)


def alias_table(opts: CompareOptions) -> Optional[dict[str, str]]:
    """The aliases table with every ``alias`` on top (an alias given by hand wins over the table)."""
    table = dict(read_aliases(opts.aliases)[0]) if opts.aliases is not None else {}
    table.update(parse_alias(a) for a in opts.alias)
    return table or None


def system_lanes(opts: CompareOptions) -> list[tuple[str, str]]:
    """(lane, how the user said it) for each lane marked as a machine: ``system`` and the aliases
    table's system column."""
    marked = list(read_aliases(opts.aliases)[1]) if opts.aliases is not None else []
    source = "the aliases table" if not isinstance(opts.aliases, (str, Path)) else str(opts.aliases)
    return [*((lane, f"{source}: system lane '{lane}'") for lane in marked),
            *((lane, f"--system '{lane}'") for lane in opts.system)]


def match_rows(opts: CompareOptions) -> tuple[list[MatchRow], dict[int, str]]:
    """Every match correction (``match``, ``no_match``, then the ``matches`` table) and how to name each in a warning."""
    rows: list[MatchRow] = []
    label: dict[int, str] = {}
    for flag, texts, apart in (("--match", opts.match, False), ("--no-match", opts.no_match, True)):
        for text in texts:
            old, new = parse_pair(text)
            label[len(rows)] = f"{flag} '{text}'"
            rows.append(MatchRow(line=0, old=old, new=new, keep_apart=apart))
    if opts.matches is not None:
        source, table = load_matches(opts.matches)
        for row in table:
            label[len(rows)] = f"{source}:{row.line} '{row.old}={row.new}'"
            rows.append(row)
    return rows, label


def _compare(loaded: list[Model], opts: CompareOptions) -> Comparison:
    cases_per_year, rate, seed, simulations = opts.cases_per_year, opts.rate, opts.seed, opts.simulations
    names, named = _stage_names(loaded, list(opts.stages) if opts.stages is not None else None)
    # What the readers repaired comes first: a comparison of repaired files must say so.
    warnings = [w for model in loaded for w in model.warnings] + named
    role_names = RoleNames(alias_table(opts))
    overrides = Overrides(load_efforts(opts.efforts) if opts.efforts is not None else None, names)
    warnings += overrides.warnings

    keys: dict[str, str] = {}  # task name -> normalised name, shared by the stages (most names repeat)
    canonical = role_names.assign([[(r.names, r.name) for r in model.roles] for model in loaded])
    systems = system_lanes(opts)
    built = [_build_stage(name, model, dict(zip((r.id for r in model.roles), chosen)), role_names, overrides, keys,
                          warnings, [lane for lane, _ in systems]) for name, model, chosen in zip(names, loaded, canonical)]
    for alias in role_names.unused():
        warnings.append(f"the alias '{alias}' names no lane in any stage; check its spelling")
    marked = {normalise(x) for s in built for model_role in s.model.roles
              for x in [*model_role.names, model_role.name, s.role_of_id[model_role.id]]} if systems else set()
    for lane, said in systems:
        if normalise(lane) not in marked:
            warnings.append(f"{said} names no lane in any stage; check its spelling")
    corrections, labels = match_rows(opts)
    unused = overrides.unused_warning()
    if unused:
        warnings.append(unused)
    roles = _role_order(built)
    effort_known = any(t.effort is not None for s in built for t in s.tasks)
    rate_of, rate_table, rate_warnings = _rates(opts.rates, rate, role_names, roles, cases_per_year)
    warnings += rate_warnings

    stage_results = [_stage_result(s, roles, effort_known, cases_per_year, rate_of) for s in built]
    changes, identities, near = _changes(built, roles, opts.similarity, warnings, corrections, labels)
    _different_services(built, changes, warnings)

    pairs = [(i, i + 1) for i in range(len(built) - 1)]
    if len(built) > 2:
        pairs.append((0, len(built) - 1))
    if seed is None:
        seed = secrets.randbelow(2**31)
    intervals = {}
    ran = 0
    ranged = any(t.effort is not None and t.effort.ranged for s in built for t in s.tasks)
    if cases_per_year is not None and simulations > 0 and ranged:
        index = {r: k for k, r in enumerate(roles)}
        sim_stages = [[SimTask(identity=identities[k][t.index], role=index[t.role], effort=t.effort)
                       for t in s.tasks if t.effort is not None] for k, s in enumerate(built)]
        intervals = simulate(sim_stages, pairs, len(roles), cases_per_year, simulations, seed)
        ran = simulations
    savings = []
    for a, b in pairs:
        known = _known_minutes(built[a], built[b], identities[a], identities[b], roles) if effort_known else None
        savings += _savings(stage_results[a], stage_results[b], roles, known, cases_per_year, rate_of,
                            opts.hours_per_fte, intervals.get((a, b)), warnings)

    _effort_warnings(built, effort_known, warnings)
    settings = Settings(cases_per_year=cases_per_year, rates=rate_table, default_rate=rate,
                        hours_per_fte=opts.hours_per_fte, similarity=opts.similarity, simulations=ran,
                        seed=seed if ran else None, currency=opts.currency)
    return Comparison(roles=roles, stages=stage_results, changes=changes, savings=savings, settings=settings,
                      effort_known=effort_known, warnings=warnings, near_misses=near)


# --------------------------------------------------------------------------- stages and roles
def stage_name_of(model: Model, position: int) -> str:
    """A stage's name when none is given: the model's ``stage``, else the file name without suffix."""
    if model.stage:
        return model.stage
    source = model.source
    if source.startswith("<"):
        return f"stage {position + 1}"
    name = Path(source).name
    for suffix in _FILE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _stage_names(models: list[Model], given: Optional[Sequence[str]]) -> tuple[list[str], list[str]]:
    warnings: list[str] = []
    if given is not None:
        if isinstance(given, str):
            given = given.split(",")
        given = [str(s).strip() for s in given]
        if len(given) != len(models) or not all(given):
            raise CompareError(f"{len(given)} stage names for {len(models)} files; give one non-empty name per file "
                               "(e.g. --stages manual,e-form,integrated)")
        names = list(given)
    else:
        names = [stage_name_of(m, i) for i, m in enumerate(models)]
    seen: dict[str, int] = {}
    out = []
    for name, model in zip(names, models):
        key = normalise(name) or name
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            new = f"{name} ({seen[key]})"
            warnings.append(f"{model.source}: stage name '{name}' is used twice; this one is called '{new}'")
            name = new
        out.append(name)
    return out, warnings


def _build_stage(name: str, model: Model, role_of_id: dict[str, str], role_names: RoleNames, overrides: Overrides,
                 keys: dict[str, str], warnings: list[str], system_lanes: Sequence[str] = ()) -> _Stage:
    lanes_of: dict[str, list[str]] = {}
    marked = {normalise(x) for x in system_lanes}
    systems: set[str] = set()
    for role in model.roles:
        lanes_of.setdefault(role_of_id[role.id], []).append(role.name)
        if marked and any(normalise(x) in marked for x in [*role.names, role.name, role_of_id[role.id]]):
            systems.add(role_of_id[role.id])
    for canonical, lanes in lanes_of.items():
        if len(lanes) > 1:
            warnings.append(f"stage {name}: lanes {', '.join(repr(x) for x in lanes)} are counted as one role "
                            f"'{canonical}'")
    tasks: list[_Task] = []
    loose: list[str] = []
    node_role: dict[str, str] = {}
    no_lane = None
    for node in model.nodes:
        # a node's role: its lane, or its process when that has no lanes (Model.role_of, inlined for speed)
        canonical = role_of_id.get(node.lane_id or node.process_id)
        is_task = node.is_task
        if canonical is None and is_task:
            canonical = no_lane = no_lane or role_names.canonical(NO_LANE)
            loose.append(node.label)
        if canonical is not None:
            node_role[node.id] = canonical
        if not is_task:
            continue
        effort = overrides.effort(name, node)
        key = keys.get(node.name)
        if key is None:
            key = keys[node.name] = normalise(node.name)
        tasks.append(_Task(index=len(tasks), node=node, role=canonical, effort=effort, key=key))
    if loose:
        warnings.append(f"stage {name}: {len(loose)} task{'s are' if len(loose) > 1 else ' is'} in no lane, "
                        f"counted as role '{NO_LANE}': {_listing(loose)}")
    if not model.roles and not tasks:
        warnings.append(f"stage {name} ({model.source}): no process with tasks, events or gateways")
    _duplicate_names(name, tasks, warnings)
    return _Stage(name=name, model=model, tasks=tasks, role_of_id=role_of_id, node_role=node_role, systems=systems)


def _duplicate_names(stage: str, tasks: list[_Task], warnings: list[str]) -> None:
    seen: dict[tuple[str, str], list[_Task]] = {}
    for t in tasks:
        if t.key:
            seen.setdefault((t.role, t.key), []).append(t)
    repeated = [same for same in seen.values() if len(same) > 1]
    for same in repeated[:_LISTED]:
        warnings.append(f"stage {stage}, role {same[0].role}: the task name '{same[0].node.name}' is used "
                        f"{len(same)} times (ids {_listing([t.node.id for t in same])}); such tasks are "
                        "matched by id, else in document order")
    if len(repeated) > _LISTED:
        warnings.append(f"stage {stage}: {len(repeated) - _LISTED} more task names are used more than once in a role")


def _listing(items: Sequence[str]) -> str:
    """'a, b, c' with at most _LISTED items, then 'and N more'."""
    head = ", ".join(items[:_LISTED])
    return head + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")


def _role_order(stages: list[_Stage]) -> list[str]:
    """Roles in the order they first appear: the first stage's lanes, then new ones as they come."""
    roles: dict[str, None] = {}
    for s in stages:
        for rid in s.role_of_id:
            roles.setdefault(s.role_of_id[rid], None)
        for t in s.tasks:
            roles.setdefault(t.role, None)
    return list(roles)


# --------------------------------------------------------------------------- per stage
def _stage_result(s: _Stage, roles: list[str], effort_known: bool, cases: Optional[float],
                  rate_of: Mapping[str, Optional[float]]) -> Stage:
    lane_ids: dict[str, list[str]] = {r: [] for r in roles}
    present = set()
    for rid, canonical in s.role_of_id.items():
        lane_ids[canonical].append(rid)
        present.add(canonical)
    by_role: dict[str, list[_Task]] = {r: [] for r in roles}
    for t in s.tasks:
        by_role[t.role].append(t)
        present.add(t.role)
    h_in, h_out, handoffs = _handoffs(s)

    results = []
    for role in roles:
        tasks = by_role[role]
        if role not in present:
            results.append(RoleStage(role=role, present=False))
            continue
        by_type: dict[str, int] = {}
        for t in tasks:
            by_type[t.node.type] = by_type.get(t.node.type, 0) + 1
        system = role in s.systems
        automated = len(tasks) if system else sum(1 for t in tasks if t.node.automated)
        known = [t.effort.minutes for t in tasks if t.effort is not None]
        minutes: Optional[float] = sum(known) if known else (0.0 if effort_known and not tasks else None)
        hours = None if minutes is None or cases is None else minutes * cases / 60.0
        rate = rate_of.get(role)
        results.append(RoleStage(
            role=role, present=True, lane_ids=lane_ids[role], tasks=len(tasks), tasks_by_type=by_type,
            manual=len(tasks) - automated, automated=automated, system=system, handoffs_in=h_in.get(role, 0),
            handoffs_out=h_out.get(role, 0), minutes=minutes,
            tasks_without_minutes=[t.node.label for t in tasks if t.effort is None],
            hours_per_year=hours, cost_per_year=None if hours is None or rate is None else hours * rate))
    role_minutes = [r.minutes for r in results if r.minutes is not None]
    automated = sum(r.automated for r in results)
    return Stage(name=s.name, source=s.model.source, roles=results, tasks=len(s.tasks),
                 minutes=sum(role_minutes) if role_minutes else None, handoffs=handoffs,
                 manual=len(s.tasks) - automated, automated=automated)


def _handoffs(s: _Stage) -> tuple[dict[str, int], dict[str, int], int]:
    """Flows whose two ends belong to different roles: sequence flows between lanes, message flows between pools."""
    model = s.model
    node_role = dict(s.node_role)  # events and gateways in no lane belong to no role
    # A pool as the end of a message flow is its role when the pool holds exactly one role.
    roles_of_process: dict[str, set[str]] = {}
    for role in model.roles:
        roles_of_process.setdefault(role.process_id, set()).add(s.role_of_id[role.id])
    for part in model.participants:
        held = roles_of_process.get(part.process_id or "", set())
        if len(held) == 1:
            node_role.setdefault(part.id, next(iter(held)))
    for role in model.roles:  # a black-box pool is the end of its message flows
        if role.participant_id is not None:
            node_role.setdefault(role.participant_id, s.role_of_id[role.id])
    h_in: dict[str, int] = {}
    h_out: dict[str, int] = {}
    total = 0
    for flow in [*model.sequence_flows, *model.message_flows]:
        src, tgt = node_role.get(flow.source), node_role.get(flow.target)
        if src is None or tgt is None or src == tgt:
            continue
        h_out[src] = h_out.get(src, 0) + 1
        h_in[tgt] = h_in.get(tgt, 0) + 1
        total += 1
    return h_in, h_out, total


# --------------------------------------------------------------------------- task changes
def _changes(stages: list[_Stage], roles: list[str], threshold: float, warnings: list[str],
             corrections: Sequence[MatchRow] = (), labels: Optional[Mapping[int, str]] = None,
             ) -> tuple[list[TaskChange], list[list[int]], list[NearMiss]]:
    """Task changes between consecutive stages, an identity per task that follows it through the
    stages, and the near misses a user should review."""
    used: set[int] = set()
    near_misses: list[NearMiss] = []
    order = {r: k for k, r in enumerate(roles)}
    identities: list[list[int]] = [[-1] * len(s.tasks) for s in stages]
    next_id = 0
    for t in stages[0].tasks:
        identities[0][t.index] = next_id
        next_id += 1
    changes: list[TaskChange] = []
    for k in range(len(stages) - 1):
        a, b = stages[k], stages[k + 1]
        refs_a = [TaskRef(t.index, t.node.id, t.key, t.role) for t in a.tasks]
        refs_b = [TaskRef(t.index, t.node.id, t.key, t.role) for t in b.tasks]
        forced, apart = _resolve(corrections, a, b, used)
        matching = match_tasks(refs_a, refs_b, threshold, forced, apart)
        for miss in matching.near:
            tb, ta = a.tasks[miss.before], b.tasks[miss.after]
            near_misses.append(NearMiss(from_stage=a.name, to_stage=b.name, role=tb.role,
                                        role_after=ta.role if ta.role != tb.role else None, before_id=tb.node.id,
                                        after_id=ta.node.id, name_before=tb.node.label, name_after=ta.node.label,
                                        similarity=round(miss.similarity, 3)))
        keyed: list[tuple[tuple[int, int, int], TaskChange]] = []
        for pair in matching.pairs:
            tb, ta = a.tasks[pair.before], b.tasks[pair.after]
            identities[k + 1][ta.index] = identities[k][tb.index]
            if tb.role != ta.role:
                kind = "moved"
            elif tb.node.type != ta.node.type:
                kind = "kind_changed"
            elif tb.node.name != ta.node.name:
                kind = "renamed"
            else:
                kind = "kept"
            if pair.how == "id" and tb.node.name and ta.node.name and tb.node.name != ta.node.name:
                if name_similarity(tb.key, ta.key) < 0.5:
                    warnings.append(f"{a.name} -> {b.name}: id '{tb.node.id}' is '{tb.node.name}' in one stage and "
                                    f"'{ta.node.name}' in the other; matched by id, check that they are one task")
            keyed.append(((order[tb.role], 0, tb.index), _change(a, b, kind, tb, ta, pair.similarity, pair.how)))
        for i in matching.removed:
            t = a.tasks[i]
            keyed.append(((order[t.role], 0, t.index), _change(a, b, "removed", t, None, None)))
        for i in matching.added:
            t = b.tasks[i]
            identities[k + 1][t.index] = next_id
            next_id += 1
            keyed.append(((order[t.role], 1, t.index), _change(a, b, "added", None, t, None)))
        keyed.sort(key=lambda kv: kv[0])
        changes += [c for _, c in keyed]
    for k, row in enumerate(corrections):
        if k not in used:
            what = (labels or {}).get(k, f"'{row.old}={row.new}'")
            warnings.append(f"{what} matches no task: '{row.old}' is in no stage followed by a stage with "
                            f"'{row.new}' (task ids or names); ignored")
    return changes, identities, near_misses


def _resolve(corrections: Sequence[MatchRow], a: _Stage, b: _Stage,
             used: set[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The user's match corrections that apply to this pair of stages, as task index pairs."""
    forced: list[tuple[int, int]] = []
    apart: list[tuple[int, int]] = []
    for k, row in enumerate(corrections):
        if row.stage and normalise(row.stage) != normalise(b.name):
            continue
        olds, news = _find(a, row.old), _find(b, row.new)
        if not olds or not news:
            continue
        used.add(k)
        if row.keep_apart:
            apart += [(i, j) for i in olds for j in news]
        else:
            forced.append((olds[0], news[0]))
    return forced, apart


def _find(stage: _Stage, text: str) -> list[int]:
    """Tasks of a stage named by id, else by (normalised) name."""
    by_id = [t.index for t in stage.tasks if t.node.id == text]
    if by_id:
        return by_id
    key = normalise(text)
    return [t.index for t in stage.tasks if key and t.key == key]


def _different_services(stages: list[_Stage], changes: list[TaskChange], warnings: list[str]) -> None:
    """Two consecutive stages that share no role, or no task, are likely not one service."""
    for a, b in zip(stages, stages[1:]):
        shared_roles = set(a.role_of_id.values()) & set(b.role_of_id.values())
        paired = any(c.from_stage == a.name and c.to_stage == b.name and c.before_id and c.after_id
                     for c in changes)
        if a.tasks and b.tasks and not shared_roles:
            warnings.append(f"{a.name} and {b.name} share no role: these look like different services (check the "
                            "files, or name the roles alike with --alias)")
        elif a.tasks and b.tasks and not paired:
            warnings.append(f"{a.name} and {b.name} share no task: these look like different services (check the "
                            "files, or pair tasks with --match)")


def _change(a: _Stage, b: _Stage, kind: str, before: Optional[_Task], after: Optional[_Task],
            score: Optional[float], how: Optional[str] = None) -> TaskChange:
    role = before.role if before is not None else after.role  # type: ignore[union-attr]
    return TaskChange(
        from_stage=a.name, to_stage=b.name, change=kind, role=role,
        role_after=after.role if kind == "moved" and after is not None else None,
        before_id=before.node.id if before else None, after_id=after.node.id if after else None,
        name_before=before.node.name if before else None, name_after=after.node.name if after else None,
        type_before=before.node.type if before else None, type_after=after.node.type if after else None,
        similarity=score, matched_by=how,
        minutes_before=before.effort.minutes if before and before.effort else None,
        minutes_after=after.effort.minutes if after and after.effort else None)


# --------------------------------------------------------------------------- money and savings
def _rates(rates, rate: Optional[float], role_names: RoleNames, roles: list[str],
           cases: Optional[float]) -> tuple[dict[str, Optional[float]], dict[str, float], list[str]]:
    warnings: list[str] = []
    table: dict[str, float] = {}
    if rates is not None:
        loaded = load_rates(rates)
        for written, value, line in loaded.rates:
            canonical = role_names.known(written)
            if canonical is None:
                warnings.append(f"{loaded.source}:{line}: role '{written}' is in no stage; rate ignored")
                continue
            table[canonical] = value
    rate_of = {r: table.get(r, rate) for r in roles}
    if cases is not None:
        if rates is None and rate is None:
            warnings.append("no hourly rate given: money is not estimated (use --rate or --rates)")
        else:
            missing = [r for r in roles if rate_of[r] is None]
            if missing:
                warnings.append(f"no hourly rate for {', '.join(missing)}: taken to be outside the organisation "
                                "(an applicant, say): hours are counted, but no money and no full-time "
                                "equivalents (the totals of those are for priced roles only)")
    return rate_of, table, warnings


def _known_minutes(a: _Stage, b: _Stage, ids_a: list[int], ids_b: list[int],
                   roles: list[str]) -> dict[str, Optional[float]]:
    """Minutes per case saved per role between two stages, task by task; None where not known.

    A task that lives on in the same role saves its minutes before minus after; one unknown in
    both stages changes nothing, one known in only one stage makes the role's saving unknown.
    A removed task saves its minutes, an added one costs them, a moved one does both (in its
    two roles); any of them without minutes makes its role's saving unknown.
    """
    saved: dict[str, Optional[float]] = {r: 0.0 for r in roles}
    after = {ids_b[t.index]: t for t in b.tasks}

    def add(role: str, value: Optional[float]) -> None:
        current = saved[role]
        saved[role] = None if current is None or value is None else current + value

    seen = set()
    for t in a.tasks:
        ident = ids_a[t.index]
        other = after.get(ident)
        mb = t.effort.minutes if t.effort is not None else None
        if other is not None:
            seen.add(ident)
            ma = other.effort.minutes if other.effort is not None else None
            if other.role == t.role:
                if mb is None and ma is None:
                    continue  # unknown in both stages: changes nothing
                add(t.role, None if mb is None or ma is None else mb - ma)
                continue
            add(other.role, None if ma is None else -ma)
        add(t.role, mb)
    for ident, t in after.items():
        if ident not in seen:
            add(t.role, None if t.effort is None else -t.effort.minutes)
    return saved


def _savings(before: Stage, after: Stage, roles: list[str], known: Optional[dict[str, Optional[float]]],
             cases: Optional[float], rate_of: Mapping[str, Optional[float]], hours_per_fte: float, intervals,
             warnings: list[str]) -> list[Saving]:
    """Savings per role and in total; ``known`` is None when no task has minutes (counts only)."""
    out = []
    effort_known = known is not None
    total_minutes: Optional[float] = 0.0
    total_money: Optional[float] = None
    # Once rates are given, a role without one is not staff (an applicant): its hours are not work years.
    priced = any(rate is not None for rate in rate_of.values())
    total_fte: Optional[float] = None
    unknown = []
    for k, role in enumerate(roles):
        rb, ra = before.roles[k], after.roles[k]
        minutes = known[role] if known is not None else None
        if minutes is None:
            total_minutes = None
            if effort_known:
                unknown.append(role)
        elif total_minutes is not None:
            total_minutes += minutes
        year = yearly(minutes, cases, rate_of.get(role), hours_per_fte)
        if year.money is not None:
            total_money = (total_money or 0.0) + year.money
        fte = year.fte if not priced or rate_of.get(role) is not None else None
        if fte is not None:
            total_fte = (total_fte or 0.0) + fte
        out.append(Saving(role=role, from_stage=before.name, to_stage=after.name, tasks=rb.tasks - ra.tasks,
                          manual=rb.manual - ra.manual, automated=rb.automated - ra.automated,
                          minutes_per_case=minutes, hours=year.hours, money=year.money, fte=fte,
                          hours_interval=intervals[k] if intervals and minutes is not None else None))
    if unknown:
        warnings.append(f"{before.name} -> {after.name}: the saving of {', '.join(unknown)} is not known (a task "
                        "without minutes is removed, added, moved, or has minutes in only one of the stages), so "
                        "the total saving is not known either; give those tasks minutes")
    minutes = total_minutes if effort_known else None
    year = yearly(minutes, cases, None, hours_per_fte)
    out.append(Saving(role=TOTAL, from_stage=before.name, to_stage=after.name, tasks=before.tasks - after.tasks,
                      manual=before.manual - after.manual, automated=before.automated - after.automated,
                      minutes_per_case=minutes, hours=year.hours, money=total_money if minutes is not None else None,
                      fte=(total_fte if priced and year.fte is not None else year.fte) if minutes is not None else None,
                      hours_interval=intervals[len(roles)] if intervals and minutes is not None else None))
    return out


def _effort_warnings(stages: list[_Stage], effort_known: bool, warnings: list[str]) -> None:
    if not effort_known:
        warnings.append("no task has minutes in any stage: comparing task counts only "
                        "(add minutes to the tasks, or give an efforts table)")
        return
    for s in stages:
        missing = [t for t in s.tasks if t.effort is None]
        if missing:
            listed = _listing([f"{t.node.label} ({t.role})" for t in missing])
            warnings.append(f"stage {s.name}: {len(missing)} task{'s have' if len(missing) > 1 else ' has'} no minutes "
                            f"and {'are' if len(missing) > 1 else 'is'} left out of the minutes: {listed}")
