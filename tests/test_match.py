"""Name normalisation and task matching, including the bound on close-name matching."""

import pytest

from procmap.compare import match
from procmap.compare.match import RoleNames, TaskRef, match_tasks, normalise, similarity


def refs(names, role="R", prefix="a"):
    return [TaskRef(i, f"{prefix}{i}", normalise(n), role) for i, n in enumerate(names)]


def test_normalise():
    assert normalise("  Saksbehandler –  Byggesak. ") == "saksbehandler byggesak"
    assert normalise("Journalfør\nsøknaden!") == "journalfør søknaden"
    assert normalise("ＡＢＣ") == "abc"  # NFKC: full-width letters


def test_similarity_is_symmetric():
    a, b = normalise("Sjekk om søknaden er komplett"), normalise("Kontroller om søknaden er komplett")
    assert similarity(a, b) == similarity(b, a) == pytest.approx(0.794, abs=1e-3)


def test_role_names_with_aliases():
    names = RoleNames({"Saksbehandler byggesak": "Saksbehandler"})
    assert names.canonical("saksbehandler BYGGESAK") == "Saksbehandler"
    assert names.canonical("Saksbehandler") == "Saksbehandler"
    assert names.canonical(" Arkiv ") == "Arkiv" and names.canonical("arkiv.") == "Arkiv"
    assert names.known("ARKIV") == "Arkiv" and names.known("Vaktmester") is None


def test_rounds_id_then_name_then_moved_then_close():
    before = [TaskRef(0, "x", "ring søker", "A"), TaskRef(1, "y", "skriv brev", "A"),
              TaskRef(2, "z", "arkiver saken", "A"), TaskRef(3, "w", "send vedtaksbrev nå", "A")]
    after = [TaskRef(0, "x", "ring kunden", "A"), TaskRef(1, "q", "skriv brev", "A"),
             TaskRef(2, "r", "arkiver saken", "B"), TaskRef(3, "s", "send vedtaksbrevet nå", "A")]
    m = match_tasks(before, after, 0.8)
    assert [(p.before, p.after, p.how) for p in m.pairs] == [(0, 0, "id"), (1, 1, "name"), (2, 2, "name"),
                                                             (3, 3, "close")]
    assert m.removed == [] and m.added == []


def test_close_names_pair_the_best_first():
    before = refs(["behandle søknad om plass", "behandle søknad"])
    after = refs(["behandle søknaden", "behandle søknad om plassen"], prefix="b")
    m = match_tasks(before, after, 0.7)
    assert sorted((p.before, p.after) for p in m.pairs) == [(0, 1), (1, 0)]


def test_threshold_one_means_exact_names_only():
    m = match_tasks(refs(["behandle søknad"]), refs(["behandle søknaden"], prefix="b"), 1.0)
    assert m.pairs == [] and m.removed == [0] and m.added == [0]


def test_repeated_ids_fall_back_to_names():
    before = [TaskRef(0, "t", "a", "R"), TaskRef(1, "t", "b", "R")]
    after = [TaskRef(0, "t", "b", "R")]
    m = match_tasks(before, after, 0.8)
    assert [(p.before, p.after, p.how) for p in m.pairs] == [(1, 0, "name")]


@pytest.fixture
def compared_pairs(monkeypatch):
    """How many name pairs the matcher scores: counts SequenceMatcher's ratio calls."""
    calls = {"pairs": 0}
    real = match.SequenceMatcher

    class Counting(real):
        def real_quick_ratio(self):
            calls["pairs"] += 1
            return super().real_quick_ratio()

    monkeypatch.setattr(match, "SequenceMatcher", Counting)
    return calls


def test_large_roles_use_a_bounded_shortlist(compared_pairs):
    n = 1500  # 1500 x 1500 = 2.25 M pairs, far above PAIR_CAP
    before = refs([f"Oppgave {i} behandle søknad" for i in range(n)])
    after = refs([f"Oppgave {i} behandle søknaden" for i in range(n)], prefix="b")
    m = match_tasks(before, after, 0.8)
    assert compared_pairs["pairs"] <= n * match.TOKEN_CANDIDATES
    assert len(m.pairs) == n and all(p.before == p.after for p in m.pairs)


def test_small_roles_compare_every_pair(compared_pairs):
    before = refs([f"task number {i}" for i in range(10)])
    after = refs([f"step {i} of the job" for i in range(10)], prefix="b")
    match_tasks(before, after, 0.8)
    assert compared_pairs["pairs"] == 100


def test_names_across_roles_are_scored_within_the_same_bound(compared_pairs):
    n = 1500  # every task moved to another role and reworded: 2.25 M pairs across roles
    before = refs([f"Oppgave {i} behandle søknad" for i in range(n)], role="Servicetorget")
    after = refs([f"Oppgave {i} behandle søknaden" for i in range(n)], role="Saksbehandler", prefix="b")
    m = match_tasks(before, after, 0.8)
    assert compared_pairs["pairs"] <= n * match.TOKEN_CANDIDATES
    assert not m.pairs and len(m.near) == n and all(p.before == p.after for p in m.near)


def test_one_role_is_not_scored_again_across_roles(compared_pairs):
    before = refs([f"task number {i}" for i in range(10)])
    after = refs([f"step {i} of the job" for i in range(10)], prefix="b")
    assert not match_tasks(before, after, 0.8).near
    assert compared_pairs["pairs"] == 100
