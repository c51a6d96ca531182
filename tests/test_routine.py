"""Routine cards: a role's steps in flow order, handoffs, branches, loops, and what changed."""

import re
import subprocess
import sys

import pytest

import procmap
from procmap import app
from procmap import ProcmapError
from procmap.views.cards import resolve_role, routine, routines, to_html, to_markdown, to_pdf
from conftest import SAMPLES

BARNEHAGE = SAMPLES / "barnehage"

B = SAMPLES / "barnehage"


@pytest.fixture(scope="module")
def manual():
    return procmap.read(B / "1-manual.lite.xml")


def test_saksbehandler_steps_follow_the_flow(manual):
    card = routine(manual, "saksbehandler", lang="en")
    assert [s.id for s in card.steps] == [
        "hent_mappe", "punch", "sjekk", "mangel", "adresse", "vurder", "vedtak", "regvedtak", "skriv", "signer",
        "send"]
    assert card.minutes_per_case == pytest.approx((78 + 4 * 105 + 160) / 6)  # FACTS 105 (78-160), PERT


def test_handoffs_name_who_gives_and_who_takes(manual):
    steps = {s.id: s for s in routine(manual, "Saksbehandler", lang="en").steps}
    assert steps["hent_mappe"].from_roles == ["Arkiv"]
    assert steps["mangel"].to_roles == ["Søker"]
    assert steps["send"].to_roles == ["Søker", "Arkiv"]
    assert steps["vurder"].from_roles == [] and steps["vurder"].to_roles == []


def test_branches_and_loops_are_named_once(manual):
    steps = {s.id: s for s in routine(manual, "Saksbehandler", lang="en").steps}
    assert steps["mangel"].notes == ["either/or at “Komplett?”, when “nei”"]
    assert steps["adresse"].notes == ["either/or at “Komplett?”, when “ja”"]
    assert steps["sjekk"].notes == ["may come back here from “Ettersend manglende dokumenter”"]
    søker = {s.id: s for s in routine(manual, "Søker", lang="en").steps}
    assert søker["les"].notes == ["at the same time as “Arkiver vedtaket”"]
    all_notes = [n for s in steps.values() for n in s.notes]
    assert sum("come back" in n for n in all_notes) == 1


def test_role_prefix_is_case_insensitive_and_must_be_unambiguous(manual):
    assert resolve_role(manual, "ARK").name == "Arkiv"
    with pytest.raises(ProcmapError, match="fits several roles"):
        resolve_role(manual, "s")
    with pytest.raises(ProcmapError, match="the roles are: Søker, Servicetorget, Arkiv, Saksbehandler"):
        resolve_role(manual, "rektor")


def test_one_card_per_role_in_every_format(manual, tmp_path):
    cards = routines(manual, lang="nb")
    assert [c.role for c in cards] == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler"]
    md = to_markdown(cards)
    assert md.count("# ") >= 4 and "Punch søknaden i fagsystemet (15,8 min)" in md  # 15 (10-25)
    assert "får saken fra Arkiv" in md and "enten/eller ved «Komplett?»" in md
    html = to_html(cards)
    assert html.count('<section class="card">') == 4 and "page-break-after" in html
    pdf = to_pdf(cards)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 4  # one A4 page per card


def test_stage_without_flows_warns_document_order(tmp_path):
    path = tmp_path / "noflow.lite.xml"
    path.write_text('<process name="S"><lane name="A"><task name="a"/><task name="b"/></lane></process>',
                    encoding="utf-8")
    model = procmap.read(path)
    assert any("document order" in w for w in model.warnings)
    assert [s.name for s in routine(model, "A", lang="en").steps] == ["a", "b"]


def test_cycle_only_flow_without_start(tmp_path):
    path = tmp_path / "cycle.lite.xml"
    path.write_text('<process name="S"><lane name="A"><task id="a" name="a"/><task id="b" name="b"/>'
                    '<task id="c" name="c"/></lane><flow from="a" to="b"/><flow from="b" to="c"/>'
                    '<flow from="c" to="a"/></process>', encoding="utf-8")
    card = routine(procmap.read(path), "A")
    assert [s.id for s in card.steps] == ["a", "b", "c"]
    assert card.warnings and "loop with no start" in card.warnings[0]


def test_cli_unknown_role_lists_roles_in_one_line():
    run = subprocess.run([sys.executable, "-m", "procmap", "routine", str(B / "1-manual.lite.xml"), "--role", "xyz"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0 and "Saksbehandler" in run.stderr


def test_cli_not_a_lite_model(tmp_path):
    bad = tmp_path / "x.xml"
    bad.write_text("<notes><p>hei</p></notes>")
    run = subprocess.run([sys.executable, "-m", "procmap", "routine", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2 and "not a process model" in run.stderr and "Traceback" not in run.stderr


def test_against_earlier_stage_lists_removed_and_kind_changes(manual):
    integrated = procmap.read(B / "3-integrert.lite.xml")
    card = routine(integrated, "saks", against=manual, lang="en")
    assert [s.id for s in card.steps] == ["sjekk", "vurder", "vedtak", "send"]
    removed = {c.name for c in card.changes if c.kind == "removed"}
    assert removed == {"Hent søknaden fra arkivet", "Punch søknaden i fagsystemet", "Be om manglende dokumenter",
                       "Kontroller adresse i folkeregisteret", "Registrer vedtaket i fagsystemet",
                       "Skriv vedtaksbrev", "Skriv ut og signer brevet"}
    assert [(c.name, c.detail) for c in card.changes if c.kind == "kind_changed"] == \
        [("Send vedtaksbrev", "now automated (was by hand)")]
    # FACTS: 105 (78-160) -> 31 (26-46) minutes; every figure is (low + 4 minutes + high) / 6
    assert (card.minutes_before, card.minutes_per_case) == (pytest.approx(109.667, abs=1e-3), pytest.approx(32.667, abs=1e-3))
    assert "Minutes per case: 109.7 → 32.7 (saves 77 min)" in to_markdown([card])


def test_against_earlier_stage_lists_moves_both_ways(manual):
    eform = procmap.read(B / "2-eskjema.lite.xml")
    arkiv = routine(eform, "Arkiv", against=manual, lang="nb")
    moved_in = [(c.name, c.detail) for c in arkiv.changes if c.kind == "moved_in"]
    moved_out = [(c.name, c.detail) for c in arkiv.changes if c.kind == "moved_out"]
    assert moved_in == [("Registrer mottatt søknad", "fra Servicetorget")]
    assert moved_out == [("Arkiver vedtaket", "gjøres nå av Saksbehandler")]
    assert {c.name for c in arkiv.changes if c.kind == "removed"} == {"Skann søknaden"}
    html = to_html([arkiv])
    assert "Overtatt" in html and "Gjøres nå av andre" in html


# Every role of every sample stage, checked by hand against the <flow> lists of the lite files:
# (stage file, role) -> [(step id, gets the case from, passes it to)] in flow order.
CARDS = {
    ("1-manual", "Søker"): [("hent_skjema", [], []), ("fyll", [], []), ("vedlegg", [], []),
                            ("post", [], ["Servicetorget"]), ("suppler", ["Saksbehandler"], ["Saksbehandler"]),
                            ("les", ["Saksbehandler"], [])],
    ("1-manual", "Servicetorget"): [("motta", ["Søker"], []), ("stemple", [], []), ("registrer", [], ["Arkiv"])],
    ("1-manual", "Arkiv"): [("skann", ["Servicetorget"], []), ("journal", [], ["Saksbehandler"]),
                            ("arkvedtak", ["Saksbehandler"], [])],
    ("2-eskjema", "Søker"): [("fyll", [], ["Servicetorget"]), ("suppler", ["Saksbehandler"], ["Saksbehandler"]),
                             ("les", ["Saksbehandler"], [])],
    ("2-eskjema", "Servicetorget"): [("motta", ["Søker"], ["Arkiv"])],
    ("2-eskjema", "Arkiv"): [("registrer", ["Servicetorget"], []), ("journal", [], ["Saksbehandler"])],
    ("2-eskjema", "Saksbehandler"): [("punch", ["Arkiv"], []), ("sjekk", ["Søker"], []), ("mangel", [], ["Søker"]),
                                     ("vurder", [], []), ("vedtak", [], []), ("regvedtak", [], []),
                                     ("skriv", [], []), ("signer", [], []), ("send", [], ["Søker"]),
                                     ("arkvedtak", [], [])],
    ("3-integrert", "Søker"): [("fyll", [], ["Integrasjon"]), ("suppler", ["Integrasjon"], ["Saksbehandler"]),
                               ("les", ["Saksbehandler"], [])],
    ("3-integrert", "Integrasjon"): [("arkiver_soknad", ["Søker"], []), ("opprett_sak", [], ["Saksbehandler"]),
                                     ("melding_mangel", ["Saksbehandler"], ["Søker"]),
                                     ("journal_vedtak", ["Saksbehandler"], ["Arkiv"])],
    ("3-integrert", "Saksbehandler"): [("sjekk", ["Integrasjon", "Søker"], ["Integrasjon"]), ("vurder", [], []),
                                       ("vedtak", [], []), ("send", [], ["Søker", "Integrasjon"])],
    ("3-integrert", "Arkiv"): [("kvalitet", ["Integrasjon"], [])],
}


@pytest.mark.parametrize("stage, role", sorted(CARDS))
def test_every_sample_card_in_flow_order_with_handoffs(stage, role):
    model = procmap.read(B / f"{stage}.lite.xml")
    card = routine(model, role, lang="en")
    assert [(s.id, s.from_roles, s.to_roles) for s in card.steps] == CARDS[(stage, role)]
    # the same card from the BPMN twin of the sample
    twin = routine(procmap.read(B / f"{stage}.bpmn"), role, lang="en")
    assert twin.steps == card.steps


def test_every_role_of_every_stage_has_a_card_test():
    for stage in ("1-manual", "2-eskjema", "3-integrert"):
        roles = {r.name for r in procmap.read(B / f"{stage}.lite.xml").roles}
        covered = {r for s, r in CARDS if s == stage} | ({"Saksbehandler"} if stage == "1-manual" else set())
        assert roles == covered, stage


# FACTS.md, "Stage 1 → 2" and "Stage 2 → 3" tables: per role, ids removed / added / moved out / moved in,
# and the kind changes (fyll, motta manual→user; suppler manual→user; send manual→service).
CHANGES = {
    ("1-manual", "2-eskjema"): {
        "Søker": dict(removed={"hent_skjema", "vedlegg", "post"}, kind_changed={"fyll"}),
        "Servicetorget": dict(removed={"stemple"}, moved_out={"registrer"}, kind_changed={"motta"}),
        "Arkiv": dict(removed={"skann"}, moved_out={"arkvedtak"}, moved_in={"registrer"}),
        "Saksbehandler": dict(removed={"hent_mappe", "adresse"}, moved_in={"arkvedtak"}),
    },
    ("2-eskjema", "3-integrert"): {
        "Søker": dict(kind_changed={"suppler"}),
        "Arkiv": dict(removed={"registrer", "journal"}, added={"kvalitet"}),
        "Saksbehandler": dict(removed={"punch", "mangel", "regvedtak", "skriv", "signer", "arkvedtak"},
                              kind_changed={"send"}),
        "Integrasjon": dict(added={"arkiver_soknad", "opprett_sak", "melding_mangel", "journal_vedtak"}),
    },
}


@pytest.mark.parametrize("pair, role", [(pair, role) for pair, roles in sorted(CHANGES.items()) for role in roles])
def test_every_role_card_lists_what_changed(pair, role):
    before, after = (procmap.read(B / f"{name}.lite.xml") for name in pair)
    card = routine(after, role, against=before, lang="en")
    names = {n.id: n.name for n in (*before.tasks, *after.tasks)}  # ids keep their name within each stage
    names.update({n.id: n.name for n in after.tasks})
    got = {}
    for change in card.changes:
        got.setdefault(change.kind, set()).add(change.name)
    want = {kind: {names[i] if kind in ("added", "moved_in", "kind_changed") else
                   next(n.name for n in before.tasks if n.id == i) for i in ids}
            for kind, ids in CHANGES[pair][role].items()}
    assert got == want


def test_a_role_gone_from_the_stage_still_gets_its_card():
    eform, integrated = procmap.read(B / "2-eskjema.lite.xml"), procmap.read(B / "3-integrert.lite.xml")
    card = routine(integrated, "servicetorget", against=eform, lang="en")
    assert card.role == "Servicetorget" and card.steps == []
    assert [(c.kind, c.name) for c in card.changes] == [("removed", "Motta søknaden")]
    assert (card.minutes_before, card.minutes_per_case) == (pytest.approx((1 + 4 * 2 + 5) / 6), 0)  # FACTS 2 (1-5)
    assert [c.role for c in routines(integrated, against=eform, lang="en")] == [
        "Søker", "Integrasjon", "Saksbehandler", "Arkiv", "Servicetorget"]
    with pytest.raises(ProcmapError, match="no role matches"):
        routine(integrated, "servicetorget", lang="en")  # without an earlier stage there is nothing to say


def test_stage_names_are_said_in_the_cards_language(manual):
    """procmap's recommended stage words are translated; any other stage name is shown as written."""
    integrated = procmap.read(B / "3-integrert.lite.xml")
    nb = to_markdown([routine(integrated, "saks", against=manual, lang="nb")])
    assert "Trinn: Integrert" in nb and "## Sammenlignet med Manuell" in nb
    en = to_markdown([routine(integrated, "saks", against=manual, lang="en")])
    assert "Stage: Integrated" in en and "## Compared with Manual" in en
    own = integrated.model_copy(update={"stage": "fase 3"})
    assert "Trinn: Fase 3" in to_markdown([routine(own, "saks", lang="nb")])


def test_markdown_sub_items_stay_inside_steps_from_ten_on(manual):
    """CommonMark: a sub-item must be indented to its item's text, which moves one column at step 10."""
    lines = to_markdown([routine(manual, "Saksbehandler", lang="en")]).splitlines()
    tenth = next(i for i, line in enumerate(lines) if line.startswith("10. "))
    subs = [line for line in lines[tenth + 1:] if line.strip().startswith("- ")][:1]
    assert subs and subs[0].startswith("    - ") and not subs[0].startswith("     ")
    ninth = next(i for i, line in enumerate(lines) if line.startswith("9. "))
    assert all(line.startswith("   - ") for line in lines[ninth + 1:tenth] if line.strip().startswith("- "))


def test_a_handoff_on_one_branch_says_which():
    """The case goes to Integrasjon only when the application is not complete (FACTS, stage 3)."""
    integrated = procmap.read(B / "3-integrert.lite.xml")
    steps = {s.id: s for s in routine(integrated, "Saksbehandler", lang="nb").steps}
    assert steps["sjekk"].to_roles == ["Integrasjon"] and steps["sjekk"].to_when == {"Integrasjon": "nei"}
    assert steps["send"].to_when == {}  # the decision always goes out
    text = to_markdown([routine(integrated, "Saksbehandler", lang="nb")])
    assert "sender den videre til Integrasjon, når «nei»" in text


def test_a_step_further_down_one_branch_says_which_branch():
    """Søker sends missing documents only when Komplett? = nei, although Integrasjon's step comes between."""
    integrated = procmap.read(B / "3-integrert.lite.xml")
    steps = {s.id: s for s in routine(integrated, "Søker", lang="en").steps}
    assert steps["suppler"].notes == ["either/or at “Komplett?”, when “nei”"]
    assert steps["fyll"].notes == [] and "either/or" not in " ".join(steps["les"].notes)


def test_a_role_of_automated_steps_only_says_so():
    integrated = procmap.read(B / "3-integrert.lite.xml")
    card = routine(integrated, "Integrasjon", lang="en")
    assert card.steps and all(s.automated for s in card.steps)
    assert "every step here is automated" in to_markdown([card])
    assert "automated: nobody" not in to_markdown([routine(integrated, "Saksbehandler", lang="en")])


def test_an_efforts_table_gives_the_cards_the_minutes_compare_counts():
    efforts = BARNEHAGE / "efforts.csv"
    stages = sorted(BARNEHAGE.glob("*.lite.xml"))
    comparison = procmap.compare(stages, efforts=efforts)
    for index, stage in enumerate(stages):
        cards = app.routine_cards(stage, comparing=procmap.CompareOptions(efforts=efforts)).cards
        counted = {r.role: r.minutes for r in comparison.stages[index].roles if r.present}
        for card in cards:
            assert card.minutes_per_case == pytest.approx(counted[card.role]), (stage.name, card.role)
    plain = app.routine_cards(stages[0]).cards
    assert [c.minutes_per_case for c in plain] != [c.minutes_per_case for c in
                                                   app.routine_cards(stages[0], comparing=procmap.CompareOptions(
                                                       efforts=efforts)).cards]


def test_the_cli_routine_takes_efforts_and_says_rows_for_no_task(tmp_path):
    table = tmp_path / "efforts.csv"
    table.write_text("task,minutes,stage\npunch,20,\nNo such task,5,\nVurder søknaden,9,integrated\n", encoding="utf-8")
    out = tmp_path / "card.md"
    done = subprocess.run([sys.executable, "-m", "procmap", "routine", str(BARNEHAGE / "1-manual.lite.xml"), "--role",
                           "Saksbehandler", "--efforts", str(table), "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Punch søknaden i fagsystemet (20 min)" in out.read_text(encoding="utf-8")
    assert "1 row matches no task" in done.stderr and "No such task" in done.stderr
    assert "integrated" not in done.stderr  # a row for another stage is no mistake on this stage's card


def test_a_card_of_a_file_that_names_neither_service_nor_stage_has_no_empty_header(tmp_path):
    bpmn = tmp_path / "hr-onboarding.bpmn"
    bpmn.write_text('<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
                    'id="d" targetNamespace="x"><process id="p"><laneSet><lane id="hr" name="HR">'
                    '<flowNodeRef>t</flowNodeRef></lane></laneSet><task id="t" name="Welcome"/></process>'
                    '</definitions>', encoding="utf-8")
    [card] = app.routine_cards(bpmn, look=procmap.Look(lang="en")).cards
    text = app.cards_bytes([card], "markdown").decode("utf-8")
    assert "\n\n\n" not in text and "Stage: Hr-onboarding" in text
