"""procmap serve in a real browser (Debian's chromium driven by Playwright): a process owner's steps 1 to 5,
with no request going anywhere but the server."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")

from _web import STAGES, running, without_stage  # noqa: E402

from procmap.app import compare_files  # noqa: E402
from procmap.compare.effort import TOTAL  # noqa: E402
from procmap.options import CompareOptions, flags  # noqa: E402
from procmap.words import number  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                                "(apt-get install chromium; .ci/run installs it)")
#: Chromium may reach nothing but this machine: every other host name fails to resolve.
ARGS = ["--headless=new", "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ROLES = ["Søker", "Servicetorget", "Arkiv", "Saksbehandler", "Integrasjon"]


@pytest.fixture(scope="module")
def url():
    with running() as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _saved(cases: float, role: str, **options) -> str:
    """The hours a year the role saves from the first stage to the last, as the page writes them in nb."""
    made = compare_files(STAGES, CompareOptions(cases_per_year=cases, **options))
    first, last = made.comparison.stages[0].name, made.comparison.stages[-1].name
    saving = next(s for s in made.comparison.savings if s.role == role and s.from_stage == first
                  and s.to_stage == last)
    return number(saving.hours, "nb")


def _money(cases: float, rate: float) -> str:
    made = compare_files(STAGES, CompareOptions(cases_per_year=cases, rate=rate))
    first, last = made.comparison.stages[0].name, made.comparison.stages[-1].name
    saving = next(s for s in made.comparison.savings if s.role == TOTAL and s.from_stage == first
                  and s.to_stage == last)
    return number(saving.money, "nb")


def test_a_process_owner_compares_corrects_and_downloads(url, browser, tmp_path):
    expect = playwright.expect
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "nb")

    # 1. Choosing the files starts the comparison at once, oldest stage first by the numbers the names begin with.
    page.get_by_label("Velg trinnfiler").set_input_files([str(p) for p in reversed(STAGES)])
    for role in ROLES:
        expect(page.locator(f'#per-stage tr[data-role="{role}"]')).to_be_visible(timeout=30_000)
    files = page.locator("ol.stages .file").all_inner_texts()
    assert [f.split()[-1] for f in files] == [p.name for p in STAGES]
    expect(page.locator(".swimlanes svg")).to_be_visible()
    expect(page.locator(".chart svg")).to_be_visible()

    # 2. Cases per year, then the rate typed while the answer to the cases is on its way (leaving the first
    # field sends it): both are kept, hours and money appear, as procmap compare works them out.
    page.get_by_label("Saker per år").fill("1000")
    page.get_by_label("Timesats, alle roller").fill("700")
    page.keyboard.press("Tab")
    total = page.locator('#saved tr.total td[data-col="hours"]')
    expect(total).to_have_text(_saved(1000, TOTAL), timeout=30_000)
    expect(page.locator('#saved tr.total td[data-col="money"]')).to_have_text(
        _money(1000, 700), timeout=30_000)
    expect(page.get_by_label("Timesats, alle roller")).to_have_value("700")
    expect(page.get_by_label("Saker per år")).to_have_value("1000")
    arkiv = page.locator('#saved tr[data-role="Arkiv"] td[data-col="hours"]')
    before = arkiv.inner_text()
    assert before == _saved(1000, "Arkiv", rate=700)

    # 4. A correction: the Servicetorget lane is the same role as Arkiv; the figures change.
    page.get_by_role("combobox", name="Samme rolle (alias)").fill("Servicetorget=Arkiv")
    page.get_by_role("button", name="Legg til i «Samme rolle (alias)»").click()
    expect(page.locator('#per-stage tr[data-role="Servicetorget"]')).to_have_count(0, timeout=30_000)
    expect(arkiv).to_have_text(_saved(1000, "Arkiv", rate=700, alias=("Servicetorget=Arkiv",)))
    assert arkiv.inner_text() != before
    expect(page.get_by_role("button", name="Fjern Servicetorget=Arkiv")).to_be_visible()

    # Two tasks that are one (`match`, once procmap compare has it): the change list's counts change.
    if "match" in {flag.name for _, flag, _ in flags(CompareOptions)}:
        summary = page.locator(".changes .summary").last
        before_summary = summary.inner_text()
        box = page.get_by_role("combobox", name="To oppgaver som er én")
        box.fill("Be om manglende dokumenter=Send melding om mangler")
        page.keyboard.press("Enter")
        expect(page.locator(".changes li.moved", has_text="Be om manglende dokumenter")).to_be_visible(
            timeout=30_000)
        assert summary.inner_text() != before_summary

    # Reordering with the keyboard only: focus a stage's "move down" button and press Enter.
    page.get_by_role("button", name=re.compile(r"^Flytt manual ned$")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("ol.stages .file").first).to_have_text("fil 2-eskjema.bpmn", timeout=30_000)
    page.get_by_role("button", name=re.compile(r"^Flytt manual opp$")).click()
    expect(page.locator("ol.stages .file").first).to_have_text("fil 1-manual.bpmn", timeout=30_000)

    # 5. The poster, by the link that says so.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Plakat (PDF)").click()
    saved = tmp_path / "plakat.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # The language: English throughout after choosing it.
    page.get_by_label("Språk", exact=True).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
    expect(page.get_by_role("link", name="Poster (PDF)")).to_be_visible()
    expect(page.locator('#per-stage tr[data-role="Arkiv"]')).to_be_visible()

    # Every control has a label, and nothing went anywhere but this server.
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, button')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.outerHTML)""")
    assert unlabelled == []
    names = page.evaluate("""() => [...document.querySelectorAll('#workspace button')]
        .map(e => e.getAttribute('aria-label') || e.textContent.trim())""")
    assert len(names) == len(set(names)), names  # no two buttons a screen reader cannot tell apart
    assert errors == []
    hosts = {urlparse(u).hostname for u in requests if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}, hosts
    context.close()


def test_a_bad_file_is_named_on_the_page_and_the_others_kept(url, browser, tmp_path):
    broken = tmp_path / "ødelagt.bpmn"
    broken.write_text("<definitions><process>", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Velg trinnfiler").set_input_files([str(broken), *map(str, STAGES[:2])])
    alert = page.locator("#workspace .messages[role=alert]")
    playwright.expect(alert).to_contain_text("ødelagt.bpmn", timeout=30_000)
    playwright.expect(page.locator('#per-stage tr[data-role="Saksbehandler"]')).to_be_visible()
    assert page.locator("ol.stages li").count() == 2
    context.close()


def test_files_dropped_on_the_page_are_compared(url, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in STAGES[:2]]
    page.evaluate("""files => {
        const data = new DataTransfer();
        for (const f of files) data.items.add(new File([f.text], f.name, {type: "text/xml"}));
        const zone = document.getElementById("drop");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", files)
    playwright.expect(page.locator('#per-stage tr[data-role="Saksbehandler"]')).to_be_visible(timeout=30_000)
    assert page.locator("ol.stages li").count() == 2
    context.close()


def test_files_chosen_as_after_then_before_stay_so_and_the_page_says_it(url, browser, tmp_path):
    """The browser's order of the chosen files is kept, and shown, so a reversed order is seen at once."""
    chosen = []
    for name, path in (("etter.bpmn", STAGES[2]), ("før.bpmn", STAGES[0])):
        chosen.append(tmp_path / name)
        chosen[-1].write_bytes(without_stage(path))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Velg trinnfiler").set_input_files([str(p) for p in chosen])
    notice = page.locator("#order-notice")
    playwright.expect(notice).to_have_text("Rekkefølgen er slik filene ble valgt: etter → før. Er den feil, flytt "
                                           "trinnene med ↑ og ↓.", timeout=30_000)
    assert page.locator("ol.stages .file").all_inner_texts() == ["fil etter.bpmn", "fil før.bpmn"]
    page.get_by_role("button", name="Flytt etter ned").click()
    playwright.expect(page.locator("ol.stages .file").first).to_have_text("fil før.bpmn", timeout=30_000)
    playwright.expect(notice).to_have_count(0)
    playwright.expect(page.locator("#per-stage th.stage").first).to_have_text("Før")
    context.close()


def test_a_number_typed_wrong_stays_in_its_box_and_the_results_stay(url, browser):
    """The box keeps «abc», marked invalid and named by its label; the hours are those of the last good value."""
    expect = playwright.expect
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Velg trinnfiler").set_input_files([str(p) for p in STAGES])
    cases = page.get_by_label("Saker per år")
    total = page.locator('#saved tr.total td[data-col="hours"]')
    cases.fill("1000")
    page.keyboard.press("Tab")
    expect(total).to_have_text(_saved(1000, TOTAL), timeout=30_000)
    cases.fill("abc")
    page.keyboard.press("Tab")
    expect(page.locator("#workspace .messages li")).to_have_text("Saker per år: «abc» er ikke et tall.",
                                                                  timeout=30_000)
    expect(cases).to_have_value("abc")
    expect(cases).to_have_attribute("aria-invalid", "true")
    expect(total).to_have_text(_saved(1000, TOTAL))
    cases.fill("2000")
    page.keyboard.press("Tab")
    expect(total).to_have_text(_saved(2000, TOTAL), timeout=30_000)
    expect(page.locator("#workspace .messages")).to_have_count(0)
    expect(cases).not_to_have_attribute("aria-invalid", "true")
    context.close()
