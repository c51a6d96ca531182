"""The three barnehage stages compared end to end, checked against samples/barnehage/FACTS.md (counted by hand)."""

import pytest

import procmap
from procmap import CompareError
from conftest import CORPUS, SAMPLES

BARNEHAGE = SAMPLES / "barnehage"
LITE = [BARNEHAGE / "1-manual.lite.xml", BARNEHAGE / "2-eskjema.lite.xml", BARNEHAGE / "3-integrert.lite.xml"]
BPMN = [BARNEHAGE / "1-manual.bpmn", BARNEHAGE / "2-eskjema.bpmn", BARNEHAGE / "3-integrert.bpmn"]
RATES = BARNEHAGE / "rates.csv"
EFFORTS = BARNEHAGE / "efforts.csv"
STAGES = ["manual", "e-form", "integrated"]

# FACTS.md, "Summary per role": tasks / minutes per case; None = the role has no lane in that stage.
FACT_TASKS = {
    "Søker": (6, 3, 3),
    "Servicetorget": (3, 1, None),
    "Arkiv": (3, 2, 1),
    "Saksbehandler": (11, 10, 4),
    "Integrasjon": (None, None, 4),
}
FACT_MINUTES = {
    "Søker": (100, 45, 35),
    "Servicetorget": (9, 2, None),
    "Arkiv": (20, 13, 2),
    "Saksbehandler": (105, 95, 31),
    "Integrasjon": (None, None, 0),
}
# FACTS.md, low/high sums per role and stage (a task without a range counts with low = high = minutes).
FACT_RANGE = {
    "Søker": ((65, 165), (30, 75), (25, 55)),
    "Servicetorget": ((7, 14), (1, 5), None),
    "Arkiv": ((13, 30), (8, 22), (1, 5)),
    "Saksbehandler": ((78, 160), (73, 140), (26, 46)),
    "Integrasjon": (None, None, (0, 0)),
}


def pert(minutes, low, high):
    """The estimate every figure uses (README, "The rules a comparison follows"): (low + 4 minutes + high) / 6.
    Linear, so it holds for a role's sums as well as for one task."""
    return (low + 4 * minutes + high) / 6


# What procmap reports per role and stage: the PERT estimate of FACTS' sums.
EXPECTED_MINUTES = {role: tuple(None if m is None else pert(m, *r) for m, r in zip(FACT_MINUTES[role], FACT_RANGE[role]))
                    for role in FACT_MINUTES}


def saved(role, a=0, b=2):
    """Minutes per case a role saves from stage a to stage b (an absent role counts 0)."""
    return (EXPECTED_MINUTES[role][a] or 0) - (EXPECTED_MINUTES[role][b] or 0)


# FACTS.md, handoff tables per stage: role -> (in, out).
FACT_HANDOFFS = [
    {"Søker": (2, 2), "Servicetorget": (1, 1), "Arkiv": (2, 1), "Saksbehandler": (2, 3)},
    {"Søker": (2, 2), "Servicetorget": (1, 1), "Arkiv": (1, 1), "Saksbehandler": (2, 2)},
    {"Søker": (2, 2), "Integrasjon": (3, 3), "Saksbehandler": (2, 3), "Arkiv": (1, 0)},
]
RATE = {"Servicetorget": 650, "Arkiv": 650, "Saksbehandler": 750, "Integrasjon": 0}  # rates.csv; Søker has none


def role_stage(comparison, stage, role):
    st = next(s for s in comparison.stages if s.name == stage)
    return next(r for r in st.roles if r.role == role)


def changes(comparison, a, b, *kinds):
    return [c for c in comparison.changes if c.from_stage == a and c.to_stage == b and (not kinds or c.change in kinds)]


def saving(comparison, role, a, b):
    return next(s for s in comparison.savings if s.role == role and s.from_stage == a and s.to_stage == b)


@pytest.fixture(scope="module")
def priced():
    return procmap.compare(LITE, cases_per_year=1000, rates=RATES)


@pytest.fixture(scope="module")
def plain():
    return procmap.compare(LITE)


# --------------------------------------------------------------------------- stages and roles
def test_stage_names_come_from_the_lite_stage_attribute(plain):
    assert [s.name for s in plain.stages] == STAGES
    assert [s.source for s in plain.stages] == [str(p) for p in LITE]


def test_roles_in_order_of_first_appearance(plain):
    assert plain.roles == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler", "Integrasjon"]


@pytest.mark.parametrize("files", [LITE, BPMN], ids=["lite", "bpmn"])
def test_task_counts_per_role_and_stage(files):
    c = procmap.compare(files)
    for role, counts in FACT_TASKS.items():
        for stage, expected in zip(STAGES, counts):
            rs = role_stage(c, stage, role)
            if expected is None:
                assert not rs.present and rs.tasks == 0, (role, stage)
            else:
                assert rs.present and rs.tasks == expected, (role, stage)
    assert [s.tasks for s in c.stages] == [23, 16, 12]


@pytest.mark.parametrize("files", [LITE, BPMN], ids=["lite", "bpmn"])
def test_minutes_per_role_and_stage(files):
    c = procmap.compare(files)
    for role, minutes in EXPECTED_MINUTES.items():
        for stage, expected in zip(STAGES, minutes):
            assert role_stage(c, stage, role).minutes == pytest.approx(expected), (role, stage)
    # FACTS: 234, 155 and 68 minutes as written; low/high sums 163/369, 112/242, 52/106
    assert [s.minutes for s in c.stages] == pytest.approx([pert(234, 163, 369), pert(155, 112, 242), pert(68, 52, 106)])
    assert c.effort_known


def test_manual_and_automated_by_kind(plain):
    # FACTS: stage 1 12 manual + 11 user; stage 3: 5 service (4 Integrasjon + send).
    first = plain.stages[0]
    assert sum(r.tasks_by_type.get("manualTask", 0) for r in first.roles) == 12
    assert sum(r.tasks_by_type.get("userTask", 0) for r in first.roles) == 11
    assert sum(r.automated for r in first.roles) == 0
    sb = role_stage(plain, "integrated", "Saksbehandler")
    assert (sb.manual, sb.automated) == (3, 1)
    assert sb.tasks_by_type == {"userTask": 3, "serviceTask": 1}
    integ = role_stage(plain, "integrated", "Integrasjon")
    assert (integ.manual, integ.automated) == (0, 4)


@pytest.mark.parametrize("files", [LITE, BPMN], ids=["lite", "bpmn"])
def test_handoffs_per_role(files):
    c = procmap.compare(files)
    assert [s.handoffs for s in c.stages] == [7, 6, 8]
    for stage, facts in zip(STAGES, FACT_HANDOFFS):
        for role, (h_in, h_out) in facts.items():
            rs = role_stage(c, stage, role)
            assert (rs.handoffs_in, rs.handoffs_out) == (h_in, h_out), (stage, role)


def test_lane_ids_behind_each_role(plain):
    assert role_stage(plain, "manual", "Saksbehandler").lane_ids == ["saksbehandler"]
    assert role_stage(plain, "integrated", "Servicetorget").lane_ids == []


# --------------------------------------------------------------------------- task changes
def ids(changes_, side="before_id"):
    return sorted(getattr(c, side) for c in changes_)


def test_manual_to_eform_changes(plain):
    a, b = "manual", "e-form"
    assert ids(changes(plain, a, b, "removed")) == sorted(
        ["hent_skjema", "vedlegg", "post", "stemple", "skann", "hent_mappe", "adresse"])
    assert changes(plain, a, b, "added") == []
    moved = {c.before_id: (c.role, c.role_after) for c in changes(plain, a, b, "moved")}
    assert moved == {"registrer": ("Servicetorget", "Arkiv"), "arkvedtak": ("Arkiv", "Saksbehandler")}
    # "kept" in FACTS = same id, same role (whatever else changed): kept, renamed and kind_changed here.
    same_role = changes(plain, a, b, "kept", "renamed", "kind_changed")
    assert len(same_role) == 14
    by_role = {}
    for c in same_role:
        by_role.setdefault(c.role, []).append(c.before_id)
    assert sorted(by_role["Søker"]) == ["fyll", "les", "suppler"]
    assert by_role["Servicetorget"] == ["motta"]
    assert by_role["Arkiv"] == ["journal"]
    assert sorted(by_role["Saksbehandler"]) == sorted(
        ["punch", "sjekk", "mangel", "vurder", "vedtak", "regvedtak", "skriv", "signer", "send"])
    # fyll is renamed AND changes kind: reported once, as kind_changed, with both names and both types.
    fyll = next(c for c in same_role if c.before_id == "fyll")
    assert fyll.change == "kind_changed"
    assert (fyll.name_before, fyll.name_after) == ("Fyll ut søknadsskjema", "Fyll ut søknadsskjema på nett")
    assert (fyll.type_before, fyll.type_after) == ("manualTask", "userTask")
    assert (fyll.minutes_before, fyll.minutes_after) == (pytest.approx(pert(30, 20, 45)), pytest.approx(pert(20, 15, 30)))
    assert {c.before_id for c in changes(plain, a, b, "kind_changed")} == {"fyll", "motta"}
    assert {c.before_id for c in changes(plain, a, b, "renamed")} == {"sjekk"}
    renamed = {c.before_id for c in changes(plain, a, b) if c.after_id and c.name_before != c.name_after}
    assert renamed == {"fyll", "sjekk"}


def test_eform_to_integrated_changes(plain):
    a, b = "e-form", "integrated"
    assert ids(changes(plain, a, b, "removed")) == sorted(
        ["motta", "registrer", "journal", "punch", "mangel", "regvedtak", "skriv", "signer", "arkvedtak"])
    added = changes(plain, a, b, "added")
    assert {c.after_id: c.role for c in added} == {
        "arkiver_soknad": "Integrasjon", "opprett_sak": "Integrasjon", "melding_mangel": "Integrasjon",
        "journal_vedtak": "Integrasjon", "kvalitet": "Arkiv"}
    assert changes(plain, a, b, "moved") == []
    assert {c.before_id: (c.type_before, c.type_after) for c in changes(plain, a, b, "kind_changed")} == {
        "suppler": ("manualTask", "userTask"), "send": ("manualTask", "serviceTask")}
    assert {c.before_id for c in changes(plain, a, b) if c.after_id and c.before_id
            and c.name_before != c.name_after} == {"suppler"}
    assert len(changes(plain, a, b, "kept", "renamed", "kind_changed")) == 7


def test_counts_follow_from_the_changes(plain):
    """FACTS check: count_after = count_before - removed - moved out + added + moved in, per role."""
    for (a, b) in (("manual", "e-form"), ("e-form", "integrated")):
        for role in plain.roles:
            ch = changes(plain, a, b)
            removed = sum(1 for c in ch if c.change == "removed" and c.role == role)
            added = sum(1 for c in ch if c.change == "added" and c.role == role)
            moved_out = sum(1 for c in ch if c.change == "moved" and c.role == role)
            moved_in = sum(1 for c in ch if c.change == "moved" and c.role_after == role)
            before, after = role_stage(plain, a, role).tasks, role_stage(plain, b, role).tasks
            assert after == before - removed - moved_out + added + moved_in, (a, b, role)


def test_same_id_beats_a_closer_name(plain):
    # "Skriv vedtaksbrev" x "Send vedtaksbrev" are 0.788 alike, but send has its own id in the next stage.
    c = procmap.compare(LITE, similarity=0.75)
    assert "skriv" in ids(changes(c, "e-form", "integrated", "removed"))
    assert next(x for x in changes(c, "e-form", "integrated") if x.before_id == "send").after_id == "send"


def _without_ids(path, prefix):
    """The model with every node id changed, so tasks can only match by name."""
    model = procmap.read(path)
    nodes = [n.model_copy(update={"id": f"{prefix}_{n.id}"}) for n in model.nodes]
    return model.model_copy(update={"nodes": nodes, "sequence_flows": []})


def test_tasks_match_by_name_when_ids_differ():
    models = [_without_ids(p, f"s{k}") for k, p in enumerate(LITE)]
    c = procmap.compare(models, similarity=0.8)
    a, b = "manual", "e-form"
    kinds = {(x.name_before or x.name_after): x.change for x in changes(c, a, b)}
    # exact names: kept or moved; "Fyll ut søknadsskjema" -> "... på nett" is 0.84 alike: the same task.
    assert kinds["Registrer mottatt søknad"] == "moved"
    assert kinds["Arkiver vedtaket"] == "moved"
    fyll = next(x for x in changes(c, a, b) if x.name_before == "Fyll ut søknadsskjema")
    assert fyll.name_after == "Fyll ut søknadsskjema på nett" and fyll.similarity == pytest.approx(0.84)
    # "Sjekk om ..." -> "Kontroller om ..." is 0.794 alike: below 0.8 it is one removed and one added task.
    assert kinds["Sjekk om søknaden er komplett"] == "removed"
    assert kinds["Kontroller om søknaden er komplett"] == "added"
    lower = procmap.compare(models, similarity=0.75)
    sjekk = next(x for x in changes(lower, a, b) if x.name_before == "Sjekk om søknaden er komplett")
    assert sjekk.change == "renamed" and sjekk.similarity == pytest.approx(0.794, abs=1e-3)


def test_no_removed_task_matches_an_added_one_by_a_loose_name():
    # FACTS: the best removed x added pair e-form -> integrated is 0.558, so nothing matches at 0.6.
    models = [_without_ids(p, f"s{k}") for k, p in enumerate(LITE)]
    c = procmap.compare(models, similarity=0.6)
    matched = changes(c, "e-form", "integrated", "kept", "renamed", "kind_changed", "moved")
    assert sorted(x.name_before for x in matched) == sorted(
        ["Fyll ut søknadsskjema på nett", "Ettersend manglende dokumenter", "Les vedtaksbrevet",
         "Kontroller om søknaden er komplett", "Vurder søknaden", "Fatt vedtak", "Send vedtaksbrev"])


def test_changes_are_grouped_by_role_in_role_order(plain):
    order = [plain.roles.index(c.role) for c in changes(plain, "manual", "e-form")]
    assert order == sorted(order)


# --------------------------------------------------------------------------- hours, money, FTE
def test_hours_money_and_fte_saved_first_to_last(priced):
    for role in EXPECTED_MINUTES:
        s = saving(priced, role, "manual", "integrated")
        hours = saved(role) * 1000 / 60
        assert s.minutes_per_case == pytest.approx(saved(role))
        assert s.hours == pytest.approx(hours)
        if role in RATE:
            assert s.money == pytest.approx(hours * RATE[role])
            assert s.fte == pytest.approx(hours / 1695)
        else:  # Søker has no rate: the applicant's time is not a cost, and not work years of staff
            assert s.money is None and s.fte is None
    sb = saving(priced, "Saksbehandler", "manual", "integrated")
    assert sb.hours == pytest.approx(77 * 1000 / 60) and sb.money == pytest.approx(962_500)  # 109.67 - 32.67 = 77 min
    assert sb.tasks == 7


def test_total_saving_uses_the_priced_roles_for_money(priced):
    # Cost per case of the priced roles, from the expected minutes and rates.csv.
    def cost(k):
        return sum((EXPECTED_MINUTES[r][k] or 0) * RATE[r] / 60 for r in RATE)

    total = saving(priced, "Total", "manual", "integrated")
    assert total.tasks == 11 and total.minutes_per_case == pytest.approx(sum(saved(r) for r in EXPECTED_MINUTES))
    assert total.hours == pytest.approx(sum(saved(r) for r in EXPECTED_MINUTES) * 1000 / 60)
    assert total.money == pytest.approx((cost(0) - cost(2)) * 1000, abs=1)
    assert saving(priced, "Total", "manual", "e-form").money == pytest.approx((cost(0) - cost(1)) * 1000, abs=1)
    assert saving(priced, "Total", "e-form", "integrated").money == pytest.approx((cost(1) - cost(2)) * 1000, abs=1)
    assert any("Søker" in w and "rate" in w for w in priced.warnings)


def test_consecutive_and_first_to_last_savings(priced):
    pairs = list(dict.fromkeys((s.from_stage, s.to_stage) for s in priced.savings))
    assert pairs == [("manual", "e-form"), ("e-form", "integrated"), ("manual", "integrated")]
    roles = [s.role for s in priced.savings if (s.from_stage, s.to_stage) == pairs[0]]
    assert roles == priced.roles + ["Total"]
    # Servicetorget disappears: all its minutes are saved; Integrasjon appears with 4 tasks and 0 minutes.
    st = saving(priced, "Servicetorget", "e-form", "integrated")
    two = pert(2, 1, 5)
    assert (st.tasks, st.minutes_per_case, st.money) == (1, pytest.approx(two), pytest.approx(two * 1000 / 60 * 650))
    integ = saving(priced, "Integrasjon", "e-form", "integrated")
    assert (integ.tasks, integ.minutes_per_case, integ.hours) == (-4, 0, 0)


def test_two_stages_give_one_pair():
    c = procmap.compare(LITE[:2], cases_per_year=1000)
    assert {(s.from_stage, s.to_stage) for s in c.savings} == {("manual", "e-form")}


def test_hours_and_cost_per_year_per_role_and_stage(priced):
    sb = role_stage(priced, "manual", "Saksbehandler")
    assert sb.hours_per_year == pytest.approx(EXPECTED_MINUTES["Saksbehandler"][0] * 1000 / 60)
    assert sb.cost_per_year == pytest.approx(EXPECTED_MINUTES["Saksbehandler"][0] * 750 / 60 * 1000)
    assert role_stage(priced, "manual", "Søker").cost_per_year is None
    assert priced.settings.rates == {"Servicetorget": 650, "Arkiv": 650, "Saksbehandler": 750, "Integrasjon": 0}


def test_one_rate_for_all_and_hours_per_fte():
    c = procmap.compare(LITE, cases_per_year=600, rate=500, hours_per_fte=1500)
    s = saving(c, "Søker", "manual", "integrated")
    hours = saved("Søker") * 10
    assert s.hours == pytest.approx(hours) and s.money == pytest.approx(hours * 500) and s.fte == pytest.approx(hours / 1500)
    assert not any("rate" in w for w in c.warnings)


def test_table_rate_wins_over_the_default_rate():
    c = procmap.compare(LITE, cases_per_year=60, rates=RATES, rate=100)
    assert saving(c, "Søker", "manual", "integrated").money == pytest.approx(saved("Søker") * 100)
    assert saving(c, "Saksbehandler", "manual", "integrated").money == pytest.approx(saved("Saksbehandler") * 750)


def test_without_cases_savings_are_minutes_per_case(plain):
    s = saving(plain, "Saksbehandler", "manual", "integrated")
    assert (s.tasks, s.minutes_per_case, s.hours, s.money, s.fte, s.hours_interval) == \
        (7, pytest.approx(saved("Saksbehandler")), None, None, None, None)
    assert plain.settings.simulations == 0


# --------------------------------------------------------------------------- Monte Carlo
def test_monte_carlo_is_reproducible_with_a_seed(priced):
    again = procmap.compare(LITE, cases_per_year=1000, rates=RATES, seed=0)
    assert again.savings == priced.savings
    other = procmap.compare(LITE, cases_per_year=1000, rates=RATES, seed=1)
    total = saving(priced, "Total", "manual", "integrated").hours_interval
    assert saving(other, "Total", "manual", "integrated").hours_interval != total
    assert priced.settings.seed == 0 and priced.settings.simulations == 2000


def test_monte_carlo_percentiles_are_ordered_and_only_where_ranges_exist(priced):
    for s in priced.savings:
        if s.hours_interval is not None:
            assert s.hours_interval.p10 <= s.hours_interval.p50 <= s.hours_interval.p90
    # Integrasjon has no ranges in any stage: its saving is exact.
    assert saving(priced, "Integrasjon", "manual", "integrated").hours_interval is None
    total = saving(priced, "Total", "manual", "integrated").hours_interval
    assert total.p10 < total.p90


def test_monte_carlo_keeps_the_draw_of_a_task_that_stays():
    # The same stage twice: every task is unchanged, so every simulated saving is exactly 0.
    c = procmap.compare([LITE[0], LITE[0]], stages=["a", "b"], cases_per_year=1000)
    total = saving(c, "Total", "a", "b").hours_interval
    assert (total.p10, total.p50, total.p90) == (0, 0, 0)


def test_monte_carlo_matches_the_two_piece_triangular_distribution(tmp_path):
    # One task (low 10, minutes 20, high 60) that disappears; 60 cases a year makes hours = minutes.
    # Half the mass rises from 10 to 20, half falls from 20 to 60: P10 = 10 + 10 sqrt(0.2) = 14.47,
    # P50 = 20 (the figure as written), P90 = 60 - 40 sqrt(0.2) = 42.11; the mean, (10 + 80 + 60) / 6 = 25, is
    # the figure shown, inside the range.
    one = tmp_path / "one.lite.xml"
    one.write_text('<process name="p" stage="one"><lane name="R"><task id="t" name="T" minutes="20" low="10" high="60"/>'
                   '<task id="k" name="K" minutes="5"/></lane></process>', encoding="utf-8")
    two = tmp_path / "two.lite.xml"
    two.write_text('<process name="p" stage="two"><lane name="R"><task id="k" name="K" minutes="5"/></lane></process>',
                   encoding="utf-8")
    c = procmap.compare([one, two], cases_per_year=60, simulations=20000, seed=7)
    s = saving(c, "R", "one", "two")
    iv = s.hours_interval
    assert iv.p10 == pytest.approx(14.47, abs=0.5)
    assert iv.p50 == pytest.approx(20.0, abs=0.6)
    assert iv.p90 == pytest.approx(42.11, abs=0.8)
    assert s.hours == pytest.approx(25.0) and iv.p10 < s.hours < iv.p90


def test_no_simulation_without_cases_or_when_switched_off():
    assert procmap.compare(LITE, cases_per_year=1000, simulations=0).settings.simulations == 0
    off = procmap.compare(LITE, cases_per_year=1000, simulations=0)
    assert all(s.hours_interval is None for s in off.savings)


def test_a_fresh_seed_is_recorded():
    c = procmap.compare(LITE, cases_per_year=1000, seed=None, simulations=200)
    again = procmap.compare(LITE, cases_per_year=1000, seed=c.settings.seed, simulations=200)
    assert again.savings == c.savings


# --------------------------------------------------------------------------- stage names, aliases, lanes
def test_stage_names_from_the_option():
    c = procmap.compare(LITE, stages=["papir", "skjema", "integrert"])
    assert [s.name for s in c.stages] == ["papir", "skjema", "integrert"]
    assert {c_.from_stage for c_ in c.changes} == {"papir", "skjema"}


def test_stage_names_from_the_file_name(tmp_path):
    for k, path in enumerate(LITE[:2]):
        text = path.read_text(encoding="utf-8").replace(f' stage="{STAGES[k]}"', "")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    c = procmap.compare([tmp_path / LITE[0].name, tmp_path / LITE[1].name])
    assert [s.name for s in c.stages] == ["1-manual", "2-eskjema"]


def test_wrong_number_of_stage_names():
    with pytest.raises(CompareError, match="2 stage names for 3 files"):
        procmap.compare(LITE, stages=["a", "b"])


def test_repeated_stage_names_are_made_unique():
    c = procmap.compare([LITE[0], LITE[0]])
    assert [s.name for s in c.stages] == ["manual", "manual (2)"]
    assert any("used twice" in w for w in c.warnings)


def _renamed_lane(tmp_path, old, new, index=1):
    text = LITE[index].read_text(encoding="utf-8").replace(f'<lane name="{old}">', f'<lane name="{new}">')
    path = tmp_path / LITE[index].name
    path.write_text(text, encoding="utf-8")
    return [LITE[0], path, LITE[2]]


def test_a_renamed_lane_without_alias_is_a_new_role(tmp_path):
    files = _renamed_lane(tmp_path, "Saksbehandler", "Saksbehandler byggesak")
    c = procmap.compare(files)
    assert "Saksbehandler byggesak" in c.roles
    assert not role_stage(c, "e-form", "Saksbehandler").present
    assert role_stage(c, "e-form", "Saksbehandler byggesak").tasks == 10
    moved = changes(c, "manual", "e-form", "moved")
    assert {x.role_after for x in moved} >= {"Saksbehandler byggesak"}


def test_role_alias_joins_a_renamed_lane(tmp_path, plain):
    files = _renamed_lane(tmp_path, "Saksbehandler", "Saksbehandler byggesak")
    c = procmap.compare(files, aliases={"Saksbehandler byggesak": "Saksbehandler"})
    assert c.roles == plain.roles
    assert [r.tasks for r in c.stages[1].roles] == [r.tasks for r in plain.stages[1].roles]
    assert [(x.change, x.before_id) for x in c.changes] == [(x.change, x.before_id) for x in plain.changes]


def test_alias_table_file(tmp_path, plain):
    files = _renamed_lane(tmp_path, "Saksbehandler", "Saksbehandler byggesak")
    table = tmp_path / "aliases.csv"
    table.write_text("alias,role\nSaksbehandler byggesak,Saksbehandler\n", encoding="utf-8")
    c = procmap.compare(files, aliases=table)
    assert c.roles == plain.roles


def test_roles_match_ignoring_case_blanks_and_punctuation(tmp_path, plain):
    files = _renamed_lane(tmp_path, "Saksbehandler", "  SAKSBEHANDLER: ")
    c = procmap.compare(files)
    assert c.roles == plain.roles
    assert role_stage(c, "e-form", "Saksbehandler").tasks == 10


def test_two_lanes_of_one_role_are_counted_together(tmp_path):
    text = LITE[1].read_text(encoding="utf-8").replace('<lane name="Servicetorget">', '<lane name="Arkiv.">')
    path = tmp_path / "two.lite.xml"
    path.write_text(text, encoding="utf-8")
    c = procmap.compare([LITE[0], path])
    arkiv = role_stage(c, "e-form", "Arkiv")
    assert arkiv.tasks == 3 and len(arkiv.lane_ids) == 2
    assert not role_stage(c, "e-form", "Servicetorget").present
    assert any("counted as one role" in w for w in c.warnings)


def test_a_bpmn_file_without_lanes_is_one_role():
    a10 = CORPUS / "bpmn-miwg-test-suite/Reference/A.1.0.bpmn"
    model = procmap.read(a10)
    c = procmap.compare([a10, a10], stages=["before", "after"])
    assert c.roles == [model.roles[0].name] == ["A.1.0"]  # the process has no name: the file's definitions name
    rs = c.stages[0].roles[0]
    assert rs.present and rs.tasks == 3 and rs.lane_ids == ["WFP-6-"] and rs.handoffs_in == rs.handoffs_out == 0
    assert [x.change for x in c.changes] == ["kept"] * 3
    assert not c.effort_known and c.stages[0].minutes is None
    assert any("counts only" in w for w in c.warnings)


def test_a_laneless_process_can_be_aliased_to_a_role(tmp_path):
    a10 = CORPUS / "bpmn-miwg-test-suite/Reference/A.1.0.bpmn"
    lite = tmp_path / "after.lite.xml"
    lite.write_text('<process name="x" stage="after"><lane name="Saksbehandler"><task name="Task 1"/>'
                    '<task name="Task 3"/></lane></process>', encoding="utf-8")
    c = procmap.compare([a10, lite], aliases={"A.1.0": "Saksbehandler"})
    assert c.roles == ["Saksbehandler"]
    assert [(x.change, x.name_before or x.name_after) for x in c.changes] == [
        ("kept", "Task 1"), ("removed", "Task 2"), ("kept", "Task 3")]


# --------------------------------------------------------------------------- bad input
def test_fewer_than_two_stages_is_refused():
    for models in ([], [LITE[0]]):
        with pytest.raises(CompareError) as info:
            procmap.compare(models)
        assert "need at least two stages" in str(info.value) and "procmap inspect" in str(info.value)


def test_a_bad_file_among_the_stages_is_a_read_error(tmp_path):
    bad = tmp_path / "broken.bpmn"
    bad.write_text("<definitions", encoding="utf-8")
    with pytest.raises(procmap.ReadError) as info:
        procmap.compare([LITE[0], bad])
    assert str(bad) in str(info.value)


@pytest.mark.parametrize("options, message", [
    ({"cases_per_year": -1}, "cases per year"),
    ({"rate": -5}, "rate"),
    ({"hours_per_fte": 0}, "full-time"),
    ({"similarity": 0}, "similarity"),
    ({"similarity": 1.5}, "similarity"),
    ({"simulations": -1}, "simulations"),
])
def test_bad_options(options, message):
    with pytest.raises(procmap.OptionError, match=message):
        procmap.compare(LITE, **options)


def test_duplicate_task_names_in_a_lane(tmp_path):
    one = tmp_path / "one.lite.xml"
    one.write_text('<process name="p" stage="one"><lane name="R">'
                   '<task id="a" name="Ring søker" minutes="5"/><task id="b" name="Ring søker" minutes="7"/>'
                   '</lane></process>', encoding="utf-8")
    two = tmp_path / "two.lite.xml"
    two.write_text('<process name="p" stage="two"><lane name="R"><task id="c" name="Ring  søker" minutes="5"/>'
                   '</lane></process>', encoding="utf-8")
    c = procmap.compare([one, two])
    assert any("'Ring søker' is used 2 times" in w and "a, b" in w for w in c.warnings)
    assert [(x.change, x.before_id, x.after_id) for x in c.changes] == [("kept", "a", "c"), ("removed", "b", None)]
    assert saving(c, "R", "one", "two").minutes_per_case == 7


def test_tasks_without_minutes_are_listed_not_zero(tmp_path):
    text = LITE[1].read_text(encoding="utf-8").replace(' minutes="15" low="10" high="25"', "", 1)  # punch
    path = tmp_path / "e.lite.xml"
    path.write_text(text, encoding="utf-8")
    c = procmap.compare([LITE[0], path], cases_per_year=1000)
    sb = role_stage(c, "e-form", "Saksbehandler")
    assert sb.tasks == 10 and sb.tasks_without_minutes == ["Punch søknaden i fagsystemet"]
    assert sb.minutes == pytest.approx(EXPECTED_MINUTES["Saksbehandler"][1] - pert(15, 10, 25))
    assert any("1 task has no minutes" in w and "Punch søknaden i fagsystemet (Saksbehandler)" in w
               for w in c.warnings)


def test_a_role_whose_only_unknown_task_is_unchanged_saves_nothing(tmp_path):
    one = tmp_path / "one.lite.xml"
    one.write_text('<process name="p" stage="one"><lane name="R"><task name="A" minutes="5"/></lane>'
                   '<lane name="Q"><task name="B"/></lane></process>', encoding="utf-8")
    two = tmp_path / "two.lite.xml"
    two.write_text('<process name="p" stage="two"><lane name="R"><task name="A" minutes="2"/></lane>'
                   '<lane name="Q"><task name="B"/></lane></process>', encoding="utf-8")
    c = procmap.compare([one, two], cases_per_year=60)
    assert role_stage(c, "one", "Q").minutes is None
    # B is unknown in both stages and unchanged: it changes nothing (README, "The rules a comparison follows", "unknown is not zero")
    assert saving(c, "Q", "one", "two").minutes_per_case == 0 and saving(c, "Q", "one", "two").hours == 0
    assert saving(c, "Total", "one", "two").minutes_per_case == 3
    assert not any("not known" in w for w in c.warnings)


def test_counts_only_without_any_minutes(tmp_path):
    files = []
    for k, path in enumerate(LITE):
        text = path.read_text(encoding="utf-8")
        import re
        text = re.sub(r' (minutes|low|high)="[^"]*"', "", text)
        out = tmp_path / path.name
        out.write_text(text, encoding="utf-8")
        files.append(out)
    c = procmap.compare(files, cases_per_year=1000, rate=700)
    assert not c.effort_known
    assert [s.tasks for s in c.stages] == [23, 16, 12]
    assert all(s.minutes_per_case is None and s.hours is None for s in c.savings)
    assert saving(c, "Saksbehandler", "manual", "integrated").tasks == 7
    assert any("counts only" in w for w in c.warnings)
    assert len(role_stage(c, "manual", "Søker").tasks_without_minutes) == 6


def test_task_in_no_lane_gets_its_own_role():
    model = procmap.read(LITE[0])
    nodes = [n.model_copy(update={"lane_id": None}) if n.id == "stemple" else n for n in model.nodes]
    loose = model.model_copy(update={"nodes": nodes})
    c = procmap.compare([loose, LITE[1]])
    assert "(no lane)" in c.roles
    assert role_stage(c, "manual", "(no lane)").tasks == 1
    assert role_stage(c, "manual", "Servicetorget").tasks == 2
    assert any("in no lane" in w for w in c.warnings)


# --------------------------------------------------------------------------- frames and JSON
def test_frames(priced):
    roles = procmap.role_frame(priced)
    assert len(roles) == 5 * 3
    wide = roles.pivot(index="role", columns="stage", values="tasks")
    assert list(wide.index) == priced.roles and list(wide.columns) == STAGES
    assert wide.loc["Saksbehandler"].tolist() == [11, 10, 4]
    ch = procmap.changes_frame(priced)
    assert len(ch) == len(priced.changes)
    assert set(ch.loc[ch.renamed, "before_id"]) == {"fyll", "sjekk", "suppler"}
    assert set(ch.loc[ch.kind_changed, "before_id"]) == {"fyll", "motta", "suppler", "send"}
    sv = procmap.savings_frame(priced)
    row = sv[(sv.role == "Saksbehandler") & (sv.to_stage == "integrated") & (sv.from_stage == "manual")].iloc[0]
    assert row.money == pytest.approx(962_500) and row.hours_p10 <= row.hours_p50 <= row.hours_p90


def test_json_round_trips(priced):
    again = procmap.Comparison.model_validate_json(priced.to_json())
    assert again == priced


COLLABORATION = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <collaboration id="c">
    <participant id="pa" name="Innbygger" processRef="A"/>
    <participant id="pb" name="Kommunen" processRef="B"/>
    <participant id="px" name="Banken"/>
    <messageFlow id="m1" sourceRef="a1" targetRef="b1"/>
    <messageFlow id="m2" sourceRef="b2" targetRef="pa"/>
    <messageFlow id="m3" sourceRef="b2" targetRef="px"/>
  </collaboration>
  <process id="A"><task id="a1" name="Send søknad"/><task id="a2" name="Les svar"/>
    <sequenceFlow id="fa" sourceRef="a1" targetRef="a2"/></process>
  <process id="B"><task id="b1" name="Motta søknad"/><task id="b2" name="Send svar"/>
    <sequenceFlow id="fb" sourceRef="b1" targetRef="b2"/></process>
</definitions>
"""


def test_message_flows_between_pools_are_handoffs(tmp_path):
    path = tmp_path / "collab.bpmn"
    path.write_text(COLLABORATION, encoding="utf-8")
    c = procmap.compare([path, path], stages=["a", "b"])
    assert c.roles == ["Innbygger", "Kommunen", "Banken"]  # two lane-less pools and the black-box bank
    innbygger, kommunen, banken = c.stages[0].roles
    # m1 task -> task, m2 task -> the citizen's pool (its one role); m3 goes to the black-box bank: a handoff
    assert (innbygger.handoffs_out, innbygger.handoffs_in) == (1, 1)
    assert (kommunen.handoffs_out, kommunen.handoffs_in) == (2, 1)
    assert banken.present and banken.tasks == 0 and (banken.handoffs_in, banken.handoffs_out) == (1, 0)
    assert c.stages[0].handoffs == 3


def test_full_time_equivalents_are_staff_only_once_rates_are_given(priced):
    total = saving(priced, "Total", "manual", "integrated")
    staff = [saving(priced, role, "manual", "integrated") for role in priced.roles if role in RATE]
    assert total.fte == pytest.approx(sum(s.fte for s in staff))
    assert total.hours == pytest.approx(sum(s.hours for s in staff) + saving(priced, "Søker", "manual", "integrated").hours)
    unpriced = procmap.compare(LITE, cases_per_year=1000)  # no rates at all: every role's hours are FTE
    assert saving(unpriced, "Søker", "manual", "integrated").fte == pytest.approx(saved("Søker") * 1000 / 60 / 1695)
