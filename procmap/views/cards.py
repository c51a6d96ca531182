"""A case handler's view: the steps of one role in the order the flow runs them.

Built for the person who will do the work: what I do now, who hands me the
case and to whom I pass it, which steps are either/or or at the same time, and,
against an earlier stage, what I no longer do, what is new and what moved.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Callable, Literal, Mapping, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from procmap._gc import paused
from procmap.errors import ProcmapError
from procmap.model.flow import flow_order
from procmap.model.elements import AUTOMATED_TYPES, FlowNode, Model, Role, trusted
from procmap.words import check_lang, kind_change, minutes, stage_label, words

if TYPE_CHECKING:
    from procmap.compare.result import Comparison

Lang = Literal["en", "nb"]

def _t(lang: str) -> Mapping[str, str]:
    return words(lang)["card"]  # type: ignore[return-value]


class Step(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    type: str
    automated: bool
    minutes: Optional[float] = None
    from_roles: list[str] = Field(default_factory=list)
    to_roles: list[str] = Field(default_factory=list)
    #: role -> the branch ("nei") the case takes to get there, when it goes there on one branch only
    to_when: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)  # either/or, at the same time, loops (in the card's language)


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["removed", "added", "moved_in", "moved_out", "kind_changed"]
    name: str
    detail: str = ""
    minutes: Optional[float] = None


class Routine(BaseModel):
    """One role's card."""

    role: str
    stage: Optional[str]
    service: str
    lang: Lang = "nb"
    steps: list[Step]
    minutes_per_case: Optional[float] = None
    steps_without_minutes: int = 0
    earlier_stage: Optional[str] = None
    minutes_before: Optional[float] = None
    saving_unknown: bool = False  # a step without minutes changed: the comparison knows no saving
    changes: list[Change] = Field(default_factory=list)
    new_automated: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


#: A task's minutes per case on the card: the model's own (below), or an efforts table's (``procmap.app``).
Minutes = Callable[[FlowNode], Optional[float]]


def _model_minutes(node: FlowNode) -> Optional[float]:
    return node.effort.expected if node.effort else None


def _stage(model: Model) -> str:
    """The stage a card is for, named as ``procmap compare`` names it (the file name when the file says none)."""
    from procmap.compare.run import stage_name_of

    return stage_name_of(model, 0)

def resolve_role(model: Model, query: str) -> Role:
    """The role a user means: exact name, else a case-insensitive prefix that fits one role only."""
    roles = model.roles
    names = ", ".join(r.name for r in roles) or "(none)"
    q = " ".join(query.split()).casefold()
    exact = [r for r in roles if r.name.casefold() == q]
    if exact:
        return exact[0]
    matches = [r for r in roles if r.name.casefold().startswith(q)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ProcmapError(f"no role matches '{query}'; the roles are: {names}", source=model.source)
    raise ProcmapError(f"'{query}' fits several roles ({', '.join(r.name for r in matches)}); say more",
                       source=model.source)


# Cards and their text are many small acyclic objects (a step per task): the collector paused, as reading
# and comparing do, instead of scanning them again and again (a third of the time at 100 000 tasks).
@paused()
def routine(model: Model, role: str | Role, *, against: Optional[Model] = None,
            comparison: Optional["Comparison"] = None, lang: Lang = "nb", flow: Optional["_Flow"] = None,
            minutes: Optional[Minutes] = None) -> Routine:
    """The card of one role; with `against`, what changed since that earlier stage.

    ``flow`` is the model's flow analysis when the caller already has it (``routines`` makes
    it once for all roles: everything per model once, nothing per role and node).
    """
    t = _t(check_lang(lang))
    if isinstance(role, Role):
        target = role
    else:
        try:
            target = resolve_role(model, role)
        except ProcmapError:
            if against is None:
                raise
            gone = resolve_role(against, role)  # a role that this stage no longer has still gets its card
            comparison = comparison or _compare(against, model)
            return _gone_card(model, gone.name, comparison, lang)
    flow = flow if flow is not None else _Flow(model)
    steps = _steps(model, target, t, flow, minutes or _model_minutes)
    known = [s.minutes for s in steps if s.minutes is not None]
    card = Routine(role=target.name, stage=_stage(model), service=model.name, lang=lang, steps=steps,
                   minutes_per_case=sum(known) if known else None,
                   steps_without_minutes=sum(1 for s in steps if s.minutes is None),
                   warnings=flow.warnings(model, target))
    if against is None:
        return card
    return _with_changes(card, comparison or _compare(against, model), target.name, t)


@paused()
def routines(model: Model, *, against: Optional[Model] = None, lang: Lang = "nb",
             comparison: Optional["Comparison"] = None, minutes: Optional[Minutes] = None) -> list[Routine]:
    """One card per role, and with `against` one for each role this stage no longer has: nobody is forgotten.

    ``comparison`` is the comparison of `against` and `model` when the caller made it (with the user's
    matches, aliases and system lanes, so the cards say what the tables say)."""
    flow = _Flow(model)
    if against is None:
        return [routine(model, r, lang=lang, flow=flow, minutes=minutes) for r in model.roles]
    comparison = comparison or _compare(against, model)
    cards = [routine(model, r, against=against, comparison=comparison, lang=lang, flow=flow, minutes=minutes)
             for r in model.roles]
    before, after = comparison.stages[0], comparison.stages[-1]
    for old, new in zip(before.roles, after.roles):
        if old.present and not new.present:
            cards.append(_gone_card(model, old.role, comparison, lang))
    return cards


def _compare(earlier: Model, later: Model) -> "Comparison":
    from procmap.compare.run import compare

    return compare([earlier, later])


def _gone_card(model: Model, role: str, comparison: "Comparison", lang: Lang) -> Routine:
    """The card of a role that has no lane in this stage: no steps, and where its work went."""
    card = Routine(role=role, stage=_stage(model), service=model.name, lang=lang, steps=[], minutes_per_case=0.0)
    card = _with_changes(card, comparison, role, _t(lang))
    if card.minutes_before is None:  # nothing was known before: "0 minutes now" would say nothing true
        card = card.model_copy(update={"minutes_per_case": None})
    return card


# -- steps in flow order ------------------------------------------------------------------

class _Flow:
    """What a model's flow is, worked out once for all its roles' cards: the order it runs in, who
    follows whom, the messages, the branches steps lie on, and each node's role."""

    def __init__(self, model: Model) -> None:
        self.nodes = model.nodes
        # A boundary event runs while its host does: it comes after the host in the card's order.
        self.boundary = [n for n in self.nodes if n.type == "boundaryEvent" and n.attached_to]
        edges = [(f.source, f.target) for f in model.sequence_flows] + [(n.attached_to, n.id) for n in self.boundary]
        self.column, self.back = flow_order(model, self.nodes, edges)
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        self.succ: dict[str, list[tuple[str, str]]] = {}
        self.pred: dict[str, list[tuple[str, str]]] = {}
        for f in model.sequence_flows:
            self.succ.setdefault(f.source, []).append((f.target, f.name))
            self.pred.setdefault(f.target, []).append((f.source, f.name))
        self.msg_in: dict[str, list[str]] = {}
        self.msg_out: dict[str, list[str]] = {}
        for f in model.message_flows:
            self.msg_out.setdefault(f.source, []).append(f.target)
            self.msg_in.setdefault(f.target, []).append(f.source)
        self.role_id: dict[str, Optional[str]] = {}
        self.role_name: dict[str, Optional[str]] = {}
        for n in self.nodes:
            r = model.role_of(n)
            self.role_id[n.id], self.role_name[n.id] = (r.id, r.name) if r else (None, None)
        self.only_on = _only_on(self.nodes, self.succ)
        self._pdom = _post_dominator_tree(self.nodes, self.succ, self.back)
        self.gateways = [n for n in self.nodes if n.kind == "gateway" and len(self.succ.get(n.id, [])) > 1]
        self.tasks_of: dict[Optional[str], list[FlowNode]] = {}
        for n in self.nodes:
            if n.is_task:
                self.tasks_of.setdefault(self.role_id[n.id], []).append(n)
        procs: dict[str, list[FlowNode]] = {}
        for n in self.nodes:
            procs.setdefault(n.process_id, []).append(n)
        flows: dict[str, set[str]] = {}
        for f in model.sequence_flows:
            flows.setdefault(f.process_id, set()).add(f.target)
        self._said: dict[str, list[str]] = {}
        self._procs, self._flow_targets = procs, flows

    def post_dominates(self, node_id: str, split: str) -> bool:
        """Every way on from `split` passes `node_id` (loops' back edges left out, so the way back of a
        'no, fix it' loop does not count as passing): the case gets there whichever branch it takes."""
        tin, tout = self._pdom
        if node_id == split or node_id not in tin or split not in tin:
            return False
        return tin[node_id] <= tin[split] and tout[split] <= tout[node_id]

    def warnings(self, model: Model, role: Role) -> list[str]:
        """Say when the order of steps is a guess: no flows at all, or a loop with no way in."""
        nodes = self._procs.get(role.process_id, [])
        if not nodes:
            return []
        targets = self._flow_targets.get(role.process_id)
        if not targets:
            return [f"{model.source}: {role.name}: the process has no sequence flows; steps are in document order"]
        if not any(n.type == "startEvent" for n in nodes) and all(n.id in targets for n in nodes if not n.parent_id):
            return [f"{model.source}: {role.name}: the flow is a loop with no start; steps begin at the first node "
                    "in the file"]
        return []


def _steps(model: Model, role: Role, t: Mapping[str, str], flow: _Flow, minutes: Minutes) -> list[Step]:
    column, back, index = flow.column, flow.back, flow.index
    by_id = model.node_by_id
    succ, pred, msg_in, msg_out = flow.succ, flow.pred, flow.msg_in, flow.msg_out
    mine = {n.id for n in flow.tasks_of.get(role.id, [])}

    def top(node: FlowNode) -> FlowNode:
        while node.parent_id and node.parent_id in by_id:
            node = by_id[node.parent_id]
        return node

    def key(node: FlowNode) -> tuple:
        outer = top(node)
        return (column[outer.id], 0 if outer is node else 1, column[node.id], index[node.id])

    role_name = flow.role_name.get

    def nearest(start: str, edges: dict[str, list[tuple[str, str]]]) -> list[str]:
        """Tasks (or the ends of the flow) reached from `start` through events and gateways, breadth first."""
        found, seen = [], {start}
        frontier = deque(e[0] for e in edges.get(start, []))
        while frontier:
            nid = frontier.popleft()
            if nid in seen or nid not in by_id:
                continue
            seen.add(nid)
            node = by_id[nid]
            passing = node.kind == "gateway" or (
                node.kind == "event" and node.type not in ("startEvent", "endEvent") and role_name(nid) == role.name)
            if passing:
                frontier.extend(e[0] for e in edges.get(nid, []))
            else:
                found.append(nid)
        return found

    def onward(start: str) -> dict[str, Optional[str]]:
        """What `nearest` finds after `start`, each with the named branch of an either/or split that
        leads there (None when the case always gets there, or the branch has no name)."""
        found: dict[str, Optional[str]] = {}
        seen: set[str] = {start}
        frontier = deque((target, None) for target, _ in succ.get(start, []))
        while frontier:
            nid, when = frontier.popleft()
            if nid in seen or nid not in by_id:
                if nid in found and when is None:
                    found[nid] = None  # also reached on every path: no condition to say
                continue
            seen.add(nid)
            node = by_id[nid]
            if node.kind == "gateway" or (node.kind == "event" and node.type not in ("startEvent", "endEvent")
                                          and role_name(nid) == role.name):
                outs = succ.get(nid, [])
                choosing = node.kind == "gateway" and node.type != "parallelGateway" and len(outs) > 1
                frontier.extend((target, when or (name if choosing and name else None)) for target, name in outs)
            else:
                found[nid] = when
        return found

    def branch_start(target: str) -> list[str]:
        """Where a branch of a split begins: its first node, or past a gateway that follows at once."""
        node = by_id.get(target)
        if node is None:
            return []
        return nearest(target, succ) if node.kind == "gateway" else [target]

    notes: dict[str, list[str]] = {}
    for g in flow.gateways if mine else ():
        outs = succ.get(g.id, [])
        branches = [(target, name, [by_id[x] for x in branch_start(target)]) for target, name in outs]
        for target, cond, firsts in branches:
            for node in firsts:
                if node.id not in mine:
                    continue
                if g.type != "parallelGateway" and flow.post_dominates(node.id, g.id):
                    continue  # every branch leads here: not either/or
                if g.type == "parallelGateway":
                    others = [_name(o, t) for _, _, fs in branches for o in fs if o.id != node.id]
                    if others:
                        notes.setdefault(node.id, []).append(
                            t["parallel"].format(other=", ".join(t["quoted"].format(o) for o in others)))
                else:
                    text = t["either"].format(gw=g.label)
                    if cond:
                        text += ", " + t["when"].format(cond=cond)
                    notes.setdefault(node.id, []).append(text)
    # A step further down one branch (past another role's work) happens on that branch only, too.
    for nid in mine:
        branches = flow.only_on.get(nid)
        if branches and nid not in notes:
            for gateway_id, cond, _ in branches:
                text = t["either"].format(gw=by_id[gateway_id].label)
                notes.setdefault(nid, []).append(text + (", " + t["when"].format(cond=cond) if cond else ""))
    # A step a boundary event starts (a timer running out, an error, a message during another step).
    for event in flow.boundary if mine else ():
        host = by_id.get(event.attached_to or "")
        for target in nearest(event.id, succ):
            if target in mine:
                key_ = "timer" if event.trigger == "timer" else "boundary"
                notes.setdefault(target, []).append(t[key_].format(
                    event=event.name or (event.trigger or event.type), host=_name(host, t) if host else "?"))
    for source, target in sorted(back) if mine else ():
        entry = [by_id[target]] if by_id[target].is_task else [by_id[x] for x in nearest(target, succ)]
        if not any(node.id in mine for node in entry):
            continue
        src = by_id[source] if by_id[source].is_task else next(
            (by_id[x] for x in nearest(source, pred)), by_id[source])
        for node in entry:
            if node.id in mine:
                notes.setdefault(node.id, []).append(t["loop"].format(src=_name(src, t)))

    steps = []
    for node in sorted(flow.tasks_of.get(role.id, []), key=key):
        befores = nearest(node.id, pred) + msg_in.get(node.id, [])
        after = onward(node.id)
        for target in msg_out.get(node.id, []):
            after[target] = None
        from_roles = _unique(r for r in (role_name(x) for x in befores) if r and r != role.name)
        to_roles = _unique(r for r in (role_name(x) for x in after) if r and r != role.name)
        when: dict[str, Optional[str]] = {}
        for target, branch in after.items():  # a role reached on every path needs no condition
            r = role_name(target)
            if r in to_roles:
                when[r] = branch if when.get(r, branch) == branch else None
        # Every field, made here from the model's own values: a step per task needs no validation.
        steps.append(trusted(Step, {"id": node.id, "name": _name(node, t), "type": node.type,
                                    "automated": node.automated,
                                    "minutes": minutes(node),
                                    "from_roles": from_roles, "to_roles": to_roles,
                                    "to_when": {r: b for r, b in when.items() if b},
                                    "notes": _unique(notes.get(node.id, ()))}))
    return steps


def _name(node: FlowNode, t: Mapping[str, str]) -> str:
    """A node's name for a person: an unnamed one is said to be unnamed (never a raw id, never blank)."""
    return node.name or (node.label if node.kind not in ("task", "call", "subprocess") else t["unnamed"])


def _post_dominator_tree(nodes: list[FlowNode], succ: dict[str, list[tuple[str, str]]],
                         back: set[tuple[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Entry and exit times of each node in the post-dominator tree of the flow without its back edges
    (x post-dominates g when x's interval holds g's). Linear: one topological pass, in which a node's
    immediate post-dominator is where its successors' chains meet (Cooper, Harvey and Kennedy), then
    one depth-first walk of the tree."""
    ids = [n.id for n in nodes]
    known = set(ids)
    out: dict[str, list[str]] = {nid: [t for t, _ in succ.get(nid, []) if t in known and (nid, t) not in back
                                       and t != nid] for nid in ids}
    indeg = {nid: 0 for nid in ids}
    for targets in out.values():
        for t in targets:
            indeg[t] += 1
    order: list[str] = [nid for nid in ids if indeg[nid] == 0]
    for nid in order:  # grows while it is walked: Kahn's topological order
        for t in out[nid]:
            indeg[t] -= 1
            if indeg[t] == 0:
                order.append(t)
    exit_ = "\0exit"
    rank = {nid: k for k, nid in enumerate(order)}
    rank[exit_] = len(order)
    ipdom: dict[str, str] = {exit_: exit_}

    def meet(a: str, b: str) -> str:
        while a != b:
            while rank[a] < rank[b]:
                a = ipdom[a]
            while rank[b] < rank[a]:
                b = ipdom[b]
        return a

    for nid in reversed(order):
        targets = [t for t in out[nid] if t in ipdom]
        if not targets:
            ipdom[nid] = exit_
            continue
        found = targets[0]
        for t in targets[1:]:
            found = meet(found, t)
        ipdom[nid] = found
    children: dict[str, list[str]] = {}
    for nid, parent in ipdom.items():
        if nid != exit_:
            children.setdefault(parent, []).append(nid)
    tin: dict[str, int] = {}
    tout: dict[str, int] = {}
    clock = 0
    stack: list[tuple[str, bool]] = [(exit_, False)]
    while stack:
        nid, done = stack.pop()
        if done:
            tout[nid] = clock
            clock += 1
            continue
        tin[nid] = clock
        clock += 1
        stack.append((nid, True))
        stack.extend((c, False) for c in children.get(nid, []))
    return tin, tout


def _only_on(nodes: list[FlowNode], succ: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str, str]]]:
    """Nodes that every path from a start reaches through one branch of an either/or split, a branch
    that not every case takes: node id -> [(gateway id, branch name, branch target)], outermost split
    first. A forward dataflow that keeps, for each node, the branches common to all the paths into it;
    a branch is known by where it goes, so two unnamed branches that meet again are two branches."""
    splits = {n.id for n in nodes if n.kind == "gateway" and n.type != "parallelGateway"
              and len(succ.get(n.id, [])) > 1}
    preds: dict[str, list[tuple[str, tuple[str, str, str] | None]]] = {}
    for source, outs in succ.items():
        for target, name in outs:
            preds.setdefault(target, []).append((source, (source, name, target) if source in splits else None))
    ids = [n.id for n in nodes]
    through: dict[str, Optional[tuple[tuple[str, str, str], ...]]] = {nid: None for nid in ids}  # None: not reached yet
    for nid in ids:
        if nid not in preds:
            through[nid] = ()
    changed = True
    while changed:
        changed = False
        for nid in ids:
            incoming = []
            for source, branch in preds.get(nid, []):
                before = through.get(source)
                if before is not None:
                    incoming.append(before + ((branch,) if branch else ()))
            if not incoming or nid not in preds:
                continue
            common = tuple(b for b in incoming[0] if all(b in other for other in incoming[1:]))
            if through[nid] != common:
                through[nid], changed = common, True
    # A branch every case ends up taking (the 'yes' that a 'no, fix it' loop returns to) is no condition.
    ends = [through[nid] for nid in ids if not succ.get(nid) and through[nid] is not None]
    always = {b for b in ends[0] if all(b in other for other in ends[1:])} if ends else set()
    only = {nid: [b for b in branches if b not in always] for nid, branches in through.items() if branches}
    return {nid: branches for nid, branches in only.items() if branches}


def _unique(items) -> list:
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# -- changes against an earlier stage ----------------------------------------------------



def _with_changes(card: Routine, comparison: "Comparison", role: str, t: Mapping[str, str]) -> Routine:
    before_stage, after_stage = comparison.stages[0], comparison.stages[-1]
    role_key = _canonical(comparison, role)
    changes: list[Change] = []
    for c in comparison.changes:
        if c.change == "removed" and c.role == role_key:
            changes.append(Change(kind="removed", name=c.name_before or t["unnamed"], minutes=c.minutes_before))
        elif c.change == "added" and c.role == role_key:
            changes.append(Change(kind="added", name=c.name_after or t["unnamed"], minutes=c.minutes_after))
        elif c.change == "moved" and c.role == role_key:
            changes.append(Change(kind="moved_out", name=c.name_before or t["unnamed"],
                                  detail=t["moved_to"].format(role=c.role_after), minutes=c.minutes_before))
        elif c.change == "moved" and c.role_after == role_key:
            changes.append(Change(kind="moved_in", name=c.name_after or t["unnamed"],
                                  detail=t["moved_from"].format(role=c.role), minutes=c.minutes_after))
        elif c.change == "kind_changed" and c.role == role_key:
            changes.append(Change(kind="kind_changed", name=c.name_after or c.name_before or t["unnamed"],
                                  detail=_kind_detail(c.type_before, c.type_after, t, card.lang),
                                  minutes=c.minutes_after))
    rs_before = next((r for r in before_stage.roles if r.role == role_key), None)
    saving = next((s for s in comparison.savings if s.role == role_key and s.from_stage == before_stage.name
                   and s.to_stage == after_stage.name), None)
    unknown = comparison.effort_known and saving is not None and saving.minutes_per_case is None
    new_auto = [c.name_after or t["unnamed"] for c in comparison.changes
                if c.change == "added" and c.type_after in AUTOMATED_TYPES]
    return card.model_copy(update={
        "earlier_stage": before_stage.name,
        "minutes_before": rs_before.minutes if rs_before and rs_before.present and not unknown else None,
        "saving_unknown": unknown,
        "changes": changes,
        "new_automated": new_auto if any(ch.kind == "removed" for ch in changes) else [],
        "stage": card.stage or after_stage.name,
    })


def _kind_detail(before: Optional[str], after: Optional[str], t: Mapping[str, str], lang: str) -> str:
    """'now automated (was by hand)', telling two automated kinds apart (see procmap.words.kind_change)."""
    was, now = (part.strip() for part in kind_change(before, after, lang).split("→"))
    return t["now_kind"].format(now=now, was=was)


def _canonical(comparison: "Comparison", role: str) -> str:
    folded = role.casefold()
    for name in comparison.roles:
        if name.casefold() == folded:
            return name
    return role


# -- output ------------------------------------------------------------------------------

def _who(names: Sequence[str], t: Mapping[str, str]) -> str:
    return t["and"].join(names)


def _step_line(step: Step, t: Mapping[str, str], lang: str) -> tuple[str, list[str]]:
    head = step.name
    extras = []
    if step.minutes is not None:
        extras.append(t["min"].format(m=minutes(step.minutes, lang)))
    if step.automated:
        extras.append(t["automated"])
    if extras:
        head += f" ({', '.join(extras)})"
    details = []
    if step.from_roles:
        details.append(t["from"].format(who=_who(step.from_roles, t)))
    always = [r for r in step.to_roles if r not in step.to_when]
    if always:
        details.append(t["to"].format(who=_who(always, t)))
    for r in step.to_roles:
        if r in step.to_when:
            details.append(t["to"].format(who=r) + ", " + t["when"].format(cond=step.to_when[r]))
    details.extend(step.notes)
    return head, details


def card_sections(card: Routine) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The card as (heading, [(line, sub-lines)]) sections: one source for Markdown, HTML and PDF."""
    t = _t(card.lang)
    sections = []
    steps = [_step_line(s, t, card.lang) for s in card.steps] or [(t["no_steps"], [])]
    sections.append((t["steps"], steps))
    if card.earlier_stage is not None:
        groups = (("removed", t["removed"]), ("moved_out", t["moved_out"]), ("added", t["added"]),
                  ("moved_in", t["moved_in"]), ("kind_changed", t["kind"]))
        body = []
        for kind, label in groups:
            items = [c for c in card.changes if c.kind == kind]
            if not items:
                continue
            lines = []
            for c in items:
                line = c.name + (f": {c.detail}" if c.detail else "")
                if c.minutes is not None:
                    line += f" ({t['min'].format(m=minutes(c.minutes, card.lang))})"
                lines.append(line)
            body.append((label, lines))
        if card.new_automated:
            body.append((t["new_automated"].format(names=", ".join(t["quoted"].format(n) for n in card.new_automated)),
                         []))
        if not body:
            body.append((t["nothing"], []))
        sections.append((t["against"].format(stage=stage_label(card.earlier_stage, card.lang)), body))
    return sections


def summary_line(card: Routine) -> str:
    t = _t(card.lang)
    if card.minutes_per_case is None:
        return ""
    if card.minutes_before is not None and card.earlier_stage is not None:
        delta = card.minutes_before - card.minutes_per_case
        word = t["saves"] if delta >= 0 else t["costs"]
        line = t["saved"].format(before=minutes(card.minutes_before, card.lang),
                                 after=minutes(card.minutes_per_case, card.lang),
                                 delta=word.format(m=minutes(abs(delta), card.lang)))
    else:
        line = t["per_case"].format(m=minutes(card.minutes_per_case, card.lang))
    if card.saving_unknown:
        line += f"; {t['saving_unknown']}"
    if card.steps_without_minutes:
        line += f"; {t['unknown_minutes'].format(n=card.steps_without_minutes)}"
    if card.steps and all(step.automated for step in card.steps):  # a system's lane, not a person's routine
        line += f"; {t['machine']}"
    return line


@paused()
def to_markdown(cards: Sequence[Routine]) -> str:
    """Cards as Markdown, readable in a terminal as is."""
    out = []
    for card in cards:
        t = _t(card.lang)
        out.append(f"# {t['title'].format(role=card.role)}\n")
        meta = [f"{t['service']}: {card.service}"] if card.service else []
        if card.stage:
            meta.append(f"{t['stage']}: {stage_label(card.stage, card.lang)}")
        if summary_line(card):
            meta.append(summary_line(card))
        if meta:
            out.append("  \n".join(meta) + "\n")
        for heading, items in card_sections(card):
            out.append(f"## {heading}\n")
            numbered = heading == t["steps"] and card.steps
            for i, (line, subs) in enumerate(items, start=1):
                marker = f"{i}. " if numbered else "- "
                out.append(marker + line)
                for sub in subs:  # indented to the item's text, so step 10 keeps its sub-items (CommonMark)
                    out.append(" " * len(marker) + f"- {sub}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


@paused()
def to_html(cards: Sequence[Routine]) -> str:
    """Cards as one self-contained HTML page; each card prints on its own page."""
    from html import escape

    body = []
    for card in cards:
        t = _t(card.lang)
        parts = [f'<section class="card"><h1>{escape(t["title"].format(role=card.role))}</h1>']
        meta = [f"{escape(t['service'])}: {escape(card.service)}"] if card.service else []
        if card.stage:
            meta.append(f"{escape(t['stage'])}: <b>{escape(stage_label(card.stage, card.lang))}</b>")
        if summary_line(card):
            meta.append(f'<span class="sum">{escape(summary_line(card))}</span>')
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
        for heading, items in card_sections(card):
            parts.append(f"<h2>{escape(heading)}</h2>")
            tag = "ol" if heading == t["steps"] and card.steps else "ul"
            parts.append(f"<{tag}>")
            for line, subs in items:
                sub = "".join(f"<li>{escape(s)}</li>" for s in subs)
                parts.append(f"<li>{escape(line)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
            parts.append(f"</{tag}>")
        parts.append("</section>")
        body.append("\n".join(parts))
    lang = cards[0].lang if cards else "en"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>procmap routine</title>
<style>
body {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2733; margin: 2em; }}
.card {{ max-width: 46em; margin: 0 auto 3em; padding: 1.5em 2em; border: 1px solid #c9d2dc; border-radius: 8px; }}
h1 {{ font-size: 1.6em; margin: 0 0 .2em; color: #123c69; }}
h2 {{ font-size: 1.15em; margin: 1.2em 0 .4em; border-bottom: 2px solid #e3e9ef; }}
.meta {{ color: #4a5968; }} .sum {{ font-weight: bold; color: #1b6e3a; }}
li {{ margin: .25em 0; }} li ul {{ color: #4a5968; font-size: .92em; }}
@media print {{ .card {{ border: none; page-break-after: always; }} body {{ margin: 0; }} }}
</style></head><body>
{chr(10).join(body)}
</body></html>
"""


def to_pdf(cards: Sequence[Routine]) -> bytes:
    """Cards as an A4 PDF, one page per card (text measured by cairo, so nothing is cut off)."""
    import io

    import cairocffi as cairo

    width, height, margin = 595.0, 842.0, 50.0
    buf = io.BytesIO()
    surface = cairo.PDFSurface(buf, width, height)
    ctx = cairo.Context(surface)
    font = "DejaVu Sans"

    def wrap(text: str, size: float, max_w: float, bold: bool = False) -> list[str]:
        ctx.select_font_face(font, cairo.FONT_SLANT_NORMAL,
                             cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL)
        ctx.set_font_size(size)
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if ctx.text_extents(trial)[4] <= max_w or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        return lines + ([current] if current else [])

    for card in cards:
        t = _t(card.lang)
        y = margin
        state = {"y": y}

        def put(text: str, size: float, indent: float = 0, bold: bool = False, color=(0.11, 0.15, 0.2),
                gap: float = 0.35) -> None:
            for line in wrap(text, size, width - 2 * margin - indent, bold):
                if state["y"] + size > height - margin:
                    surface.show_page()
                    state["y"] = margin
                state["y"] += size * 1.25
                ctx.set_source_rgb(*color)
                ctx.move_to(margin + indent, state["y"])
                ctx.show_text(line)
            state["y"] += size * gap

        put(t["title"].format(role=card.role), 26, bold=True, color=(0.07, 0.24, 0.41))
        meta = [f"{t['service']}: {card.service}"] if card.service else []
        if card.stage:
            meta.append(f"{t['stage']}: {stage_label(card.stage, card.lang)}")
        put(" · ".join(meta), 11, color=(0.29, 0.35, 0.41))
        if summary_line(card):
            put(summary_line(card), 12, bold=True, color=(0.1, 0.43, 0.23))
        for heading, items in card_sections(card):
            state["y"] += 6
            put(heading, 17, bold=True, color=(0.07, 0.24, 0.41))
            numbered = heading == t["steps"] and card.steps
            for i, (line, subs) in enumerate(items, start=1):
                put(f"{i}. {line}" if numbered else f"• {line}", 13, indent=8, gap=0.15)
                for sub in subs:
                    put(f"– {sub}", 11, indent=30, color=(0.29, 0.35, 0.41), gap=0.1)
        surface.show_page()
    surface.finish()
    return buf.getvalue()
