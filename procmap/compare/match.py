"""Matching across stages: which roles are the same role, which tasks are the same task.

Pure functions on plain data. Roles match by normalised name (case, blanks and
punctuation ignored) after a user's alias table; tasks match within a pair of
stages in rounds, strongest evidence first:

1. the same id (anywhere: same role = kept, other role = moved);
2. the same normalised name in the same role;
3. the same normalised name in another role (moved);
4. close names in the same role (``difflib`` ratio >= the threshold), best pairs first.

What is left is removed (earlier stage) or added (later stage). Pairs a person should
look at are kept as near misses, never paired: in one role, names scoring just under
the threshold; across roles, names that would have matched had the task stayed in
its role (a task moved *and* renamed at once: two changes, too many to guess). Close-name
matching is bounded: all pairs are compared only while a role has at most
``PAIR_CAP`` candidate pairs (50 x 50 unmatched tasks); above that each task is
compared with at most ``TOKEN_CANDIDATES`` tasks that share its distinctive
words (words that few tasks of the role use), so the work grows linearly with
the number of tasks, never quadratically. In such large roles a reworded task
is found only when it keeps at least one distinctive word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Iterable, Mapping, Optional, Sequence

#: Up to this many (earlier x later) unmatched pairs in one role, every pair is scored.
PAIR_CAP = 2_500
#: Above PAIR_CAP, each task is scored against at most this many tasks sharing its rarest words ...
TOKEN_CANDIDATES = 3
#: ... and only against those sharing at least this share of the best candidate's evidence.
TOKEN_KEEP = 0.5
#: Words found in more than this many tasks of a role are too common to pick candidates.
TOKEN_POSTING_CAP = 32
#: ... and a candidate needs this much evidence: one shared word that at most 5 tasks have, or several rarer.
TOKEN_MIN_EVIDENCE = 0.2

_SEPARATORS = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Compare names as a person would: case, punctuation and runs of blanks do not matter.

    >>> normalise("  Saksbehandler – byggesak ")
    'saksbehandler byggesak'
    """
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def similarity(a: str, b: str) -> float:
    """``difflib.SequenceMatcher`` ratio of two (normalised) names, the higher of both orders."""
    if a == b:
        return 1.0
    first = SequenceMatcher(None, a, b).ratio()
    second = SequenceMatcher(None, b, a).ratio()
    return max(first, second)


# --------------------------------------------------------------------------- roles
class RoleNames:
    """Canonical role names: one string per role across every stage.

    ``aliases`` maps a lane name as written to the role it stands for
    ("Saksbehandler byggesak" -> "Saksbehandler"); both sides are compared
    normalised. The display name of a role is the alias target, else the
    spelling seen first. :meth:`assign` names the roles of all stages at once,
    so a role's name never depends on what else one stage happens to hold.
    """

    def __init__(self, aliases: Optional[Mapping[str, str]] = None):
        self.aliases = {normalise(k): v.strip() for k, v in (aliases or {}).items() if normalise(k)}
        self.written = {normalise(k): k for k in (aliases or {}) if normalise(k)}
        self.used: set[str] = set()  # alias keys that named a lane
        self._display: dict[str, str] = {}
        self._named: list[tuple[Sequence[str], str]] = []  # (a role's names, its canonical name), from assign
        self._other: Optional[dict[str, set[str]]] = None  # any of those names -> canonical names, when asked

    def key(self, name: str) -> str:
        target = self.aliases.get(normalise(name))
        return normalise(target) if target is not None else normalise(name)

    def canonical(self, name: str) -> str:
        """The display name of the role `name` belongs to (registered on first sight)."""
        key = self.key(name)
        if normalise(name) in self.aliases:
            self.used.add(normalise(name))
        if key not in self._display:
            target = self.aliases.get(normalise(name))
            self._display[key] = target if target is not None else " ".join(name.split())
        return self._display[key]

    def known(self, name: str) -> Optional[str]:
        """The display name if `name` is a role already seen (by its name, or any other
        name of it that is not shared), else None."""
        found = self._display.get(self.key(name))
        if found is None:
            if self._other is None:  # built on the first miss: most comparisons never ask
                self._other = {}
                for names, canonical in self._named:
                    for other in names:
                        self._other.setdefault(normalise(other), set()).add(canonical)
            others = self._other.get(normalise(name), set())
            found = next(iter(others)) if len(others) == 1 else None
        return found

    def unused(self) -> list[str]:
        """Aliases (as written) that named no lane in any stage."""
        return [self.written[k] for k in self.aliases if k not in self.used]

    def assign(self, stages: Sequence[Sequence[tuple[Sequence[str], str]]]) -> list[list[str]]:
        """Canonical names for the roles of every stage, from each role's candidate names
        (own name, lane path, pool / path, pool / path (id): ``procmap.model.Role.names``) and
        the name its own model gave it (the shortest unique there).

        A role keeps its own name unless some stage had to call a role of that name by a longer
        one (two pools with a "Clerk" lane); then every role of that name, in every stage, is
        called by that longer name: "Clerk" stays "Clerk" everywhere, or is "Town hall / Clerk"
        everywhere. An alias written for any of a role's names wins.
        """
        norm: dict[str, str] = {}  # each name normalised once (most repeat across stages)

        def key(name: str) -> str:
            found = norm.get(name)
            if found is None:
                found = norm[name] = normalise(name)
            return found

        def level_of(names: Sequence[str], name: str) -> int:
            return next((k for k, n in enumerate(names) if n == name), 0)

        widest: dict[str, int] = {}  # own name -> the longest name level any stage needed
        for roles in stages:
            for names, name in roles:
                if names:
                    own = key(names[0])
                    widest[own] = max(widest.get(own, 0), min(level_of(names, name), 2))
        out = []
        for roles in stages:
            row = []
            for names, name in roles:
                alias = next((n for n in reversed(names) if key(n) in self.aliases), None) if self.aliases else None
                if alias is not None:
                    chosen = alias
                elif not names:
                    chosen = name
                else:
                    own = level_of(names, name)
                    chosen = names[own] if own == 3 else names[widest[key(names[0])]]
                canonical = self.canonical(chosen)
                self._named.append((names, canonical))
                row.append(canonical)
            out.append(row)
        return out


# --------------------------------------------------------------------------- tasks
@dataclass(slots=True)
class TaskRef:
    """The little a matcher needs to know about one task in one stage."""

    index: int  # position in its stage's task list (document order)
    id: str
    key: str  # normalised name ('' when unnamed)
    role: str  # canonical role


@dataclass(frozen=True)
class Pair:
    before: int  # TaskRef.index in the earlier stage
    after: int  # TaskRef.index in the later stage
    how: str  # "id", "name", "close"
    similarity: float


@dataclass
class Matching:
    pairs: list[Pair]
    removed: list[int]  # indexes in the earlier stage
    added: list[int]  # indexes in the later stage
    near: list[Pair] = field(default_factory=list)  # left apart, but scored just under the threshold


#: A pair of unmatched tasks of one role scoring this much under the threshold is a near miss to review.
NEAR_MARGIN = 0.2


def match_tasks(before: Sequence[TaskRef], after: Sequence[TaskRef], threshold: float,
                forced: Iterable[tuple[int, int]] = (), apart: Iterable[tuple[int, int]] = ()) -> Matching:
    """Pair the tasks of two stages (see the module docstring for the rounds).

    ``forced`` pairs (before index, after index) are one task whatever their names (a user's
    ``--match``); ``apart`` pairs are never paired by any round (``--no-match``).
    """
    pairs: list[Pair] = []
    free_b = {t.index: t for t in before}
    free_a = {t.index: t for t in after}
    kept_apart = set(apart)

    # 0. what the user said
    for i, j in forced:
        if i in free_b and j in free_a:
            pairs.append(Pair(i, j, "user", similarity(free_b[i].key, free_a[j].key)))
            del free_b[i], free_a[j]

    # 1. same id, anywhere (ids repeated inside one stage are left to the name rounds)
    ids_after = _unique_ids(after)
    for t in _unique_ids(before).values():
        other = ids_after.get(t.id)
        if other is not None and t.index in free_b and other.index in free_a \
                and (t.index, other.index) not in kept_apart:
            pairs.append(Pair(t.index, other.index, "id", 1.0))
            del free_b[t.index], free_a[other.index]

    # 2. same name, same role;  3. same name, another role
    for same_role in (True, False):
        buckets: dict[object, deque[TaskRef]] = {}
        for t in free_a.values():
            if t.key:
                buckets.setdefault((t.role, t.key) if same_role else t.key, deque()).append(t)
        for t in list(free_b.values()):
            if not t.key:
                continue
            bucket = buckets.get((t.role, t.key) if same_role else t.key)
            if bucket:
                other = next((o for o in bucket if (t.index, o.index) not in kept_apart), None)
                if other is None:
                    continue
                bucket.remove(other)
                pairs.append(Pair(t.index, other.index, "name", 1.0))
                del free_b[t.index], free_a[other.index]

    # 4. close names within a role (and, scored on the way, the near misses a user should review)
    near_scored: list[tuple[float, int, int]] = []
    if threshold <= 1.0:
        by_role_b: dict[str, list[TaskRef]] = {}
        by_role_a: dict[str, list[TaskRef]] = {}
        for t in free_b.values():
            if t.key:
                by_role_b.setdefault(t.role, []).append(t)
        for t in free_a.values():
            if t.key:
                by_role_a.setdefault(t.role, []).append(t)
        for role, olds in by_role_b.items():
            news = by_role_a.get(role)
            if not news:
                continue
            banned = {(i, j) for i, o in enumerate(olds) for j, n in enumerate(news)
                      if (o.index, n.index) in kept_apart} if kept_apart else set()
            close, almost = _close_pairs([t.key for t in olds], [t.key for t in news], threshold, banned,
                                         max(threshold - NEAR_MARGIN, 0.0))
            for i, j, score in close:
                pairs.append(Pair(olds[i].index, news[j].index, "close", score))
                del free_b[olds[i].index], free_a[news[j].index]
            near_scored += [(-score, olds[i].index, news[j].index) for i, j, score in almost]

        near_scored += _across_roles(free_b, free_a, threshold, kept_apart)

    near = _near_misses(near_scored, free_b, free_a)
    pairs.sort(key=lambda p: p.before)
    return Matching(pairs=pairs, removed=sorted(free_b), added=sorted(free_a), near=near)


def _across_roles(free_b: Mapping[int, TaskRef], free_a: Mapping[int, TaskRef], threshold: float,
                  kept_apart: set[tuple[int, int]]) -> list[tuple[float, int, int]]:
    """Unmatched tasks in different roles whose names score at least the threshold: a task that moved
    and was renamed. Scored over every role at once, with the same bounds as round 4 (linear above
    PAIR_CAP); a pair in one role scoring this much can only be one the user kept apart."""
    olds = [t for t in free_b.values() if t.key]
    news = [t for t in free_a.values() if t.key]
    if not olds or not news:
        return []
    at_b = {t.index: i for i, t in enumerate(olds)}
    at_a = {t.index: j for j, t in enumerate(news)}
    if len({t.role for t in olds} | {t.role for t in news}) < 2:
        return []
    banned = {(at_b[i], at_a[j]) for i, j in kept_apart if i in at_b and j in at_a}
    close, _ = _close_pairs([t.key for t in olds], [t.key for t in news], threshold, banned,
                            groups=([t.role for t in olds], [t.role for t in news]))
    return [(-score, olds[i].index, news[j].index) for i, j, score in close]


def _near_misses(scored: list[tuple[float, int, int]], free_b: Mapping[int, TaskRef],
                 free_a: Mapping[int, TaskRef]) -> list[Pair]:
    """Of the pairs round 4 scored just under the threshold, those whose two tasks stayed unmatched,
    best first and one-to-one: what a user should confirm with ``--match`` or leave apart."""
    used_b: set[int] = set()
    used_a: set[int] = set()
    out = []
    for neg, i, j in sorted(scored):
        if i in free_b and j in free_a and i not in used_b and j not in used_a:
            used_b.add(i)
            used_a.add(j)
            out.append(Pair(i, j, "near", -neg))
    return sorted(out, key=lambda p: p.before)


def _unique_ids(tasks: Iterable[TaskRef]) -> dict[str, TaskRef]:
    seen: dict[str, TaskRef] = {}
    repeated: set[str] = set()
    for t in tasks:
        if t.id in seen:
            repeated.add(t.id)
        else:
            seen[t.id] = t
    for task_id in repeated:
        del seen[task_id]
    return seen


def _close_pairs(olds: list[str], news: list[str], threshold: float,
                 banned: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
                 floor: Optional[float] = None, groups: Optional[tuple[Sequence[str], Sequence[str]]] = None,
                 ) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """Greedy one-to-one pairs with similarity >= threshold, best first (ties: document order); and
    every pair scoring from `floor` up to just under the threshold (the near misses, not paired).
    With `groups` (a group per old and per new name), only names of different groups are scored."""
    floor = threshold if floor is None else min(floor, threshold)
    if len(olds) * len(news) <= PAIR_CAP:
        candidates: Iterable[tuple[int, list[int]]] = ((i, range(len(news))) for i in range(len(olds)))  # type: ignore[misc]
    else:
        candidates = _token_candidates(olds, news)
    scored: list[tuple[float, int, int, Optional[float]]] = []
    almost: list[tuple[int, int, float]] = []
    matcher = SequenceMatcher(None)
    for i, js in candidates:
        matcher.set_seq2(olds[i])  # seq2 is the one SequenceMatcher indexes: set it once per task
        for j in js:
            if groups is not None and groups[0][i] == groups[1][j]:
                continue
            matcher.set_seq1(news[j])
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            other = None
            if score < threshold:  # the ratio can differ a little with the order: try the other one
                other = SequenceMatcher(None, olds[i], news[j]).ratio()
                score = max(score, other)
            if score >= threshold:
                scored.append((-score, i, j, other))
            elif score >= floor and (i, j) not in banned:
                almost.append((i, j, score))
    scored.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for neg, i, j, other in scored:
        if i in used_i or j in used_j or (i, j) in banned:
            continue
        used_i.add(i)
        used_j.add(j)
        if other is None:  # report the higher ratio of both orders, as similarity() does
            other = SequenceMatcher(None, olds[i], news[j]).ratio()
        out.append((i, j, max(-neg, other)))
    return out, almost


def _token_candidates(olds: list[str], news: list[str]) -> Iterable[tuple[int, list[int]]]:
    """For each old name, the new names sharing most of its rarer words (a bounded shortlist).

    Ties go to the name at the closer relative position: stages keep their order.
    """
    postings: dict[str, list[int]] = {}
    for j, name in enumerate(news):
        for word in set(name.split()):
            postings.setdefault(word, []).append(j)
    for i, name in enumerate(olds):
        hits: dict[int, float] = {}
        for word in set(name.split()):
            js = postings.get(word)
            if not js or len(js) > TOKEN_POSTING_CAP:
                continue
            weight = 1.0 / len(js)
            for j in js:
                hits[j] = hits.get(j, 0.0) + weight
        hits = {j: w for j, w in hits.items() if w >= TOKEN_MIN_EVIDENCE}
        if hits:
            here = i / len(olds)
            best = sorted(hits.items(), key=lambda kv: (-kv[1], abs(kv[0] / len(news) - here), kv[0]))
            best = best[:TOKEN_CANDIDATES]
            floor = best[0][1] * TOKEN_KEEP
            yield i, sorted(j for j, weight in best if weight >= floor)
