"""The terminal view: numbers, summary sentences, and names that look like rich markup."""

import io

from rich.console import Console

import procmap
from procmap.views.terminal import show, summary_lines
from procmap.words import number
from test_compare import LITE, RATES


def render(comparison, lang="en"):
    buf = io.StringIO()
    show(comparison, Console(file=buf, width=140, color_system=None), lang=lang, title="Tjeneste")
    return buf.getvalue()


def test_numbers():
    assert number(1233.33, "en") == "1,233" and number(1233.33, "nb") == "1\u00a0233"
    assert number(0.7276, "en", 2) == "0.73" and number(0.7276, "nb", 2) == "0,73"
    assert number(-5, "en") == "−5"


def test_summary_lines_first_to_last():
    c = procmap.compare(LITE, cases_per_year=1000, rates=RATES)
    lines = summary_lines(c)
    assert lines[0] == "Søker: 6 → 3 → 3 tasks; saves 1,083 hours a year"  # the applicant: no rate, no FTE
    assert lines[3] == "Saksbehandler: 11 → 10 → 4 tasks; saves 1,233 hours and 925,000 NOK a year (0.73 FTE)"
    # FTE of the priced roles only: (150 + 300 + 1,233.3) h / 1,695 h
    assert lines[-1].startswith("In total: 23 → 16 → 12 tasks; saves 2,767 hours and 1,217,500 NOK a year (0.99 FTE)")
    nb = summary_lines(c, "nb")
    assert nb[1].startswith("Servicetorget: 3 → 1 → – oppgaver; borte i Integrert; sparer 150 timer og 97\u00a0500 NOK")


def test_more_work_is_said_plainly():
    c = procmap.compare(list(reversed(LITE)), cases_per_year=1000)
    assert summary_lines(c)[0] == "Søker: 3 → 3 → 6 tasks; adds 1,083 hours a year (0.64 FTE)"


def test_names_are_never_markup(tmp_path):
    one = tmp_path / "one.lite.xml"
    one.write_text('<process name="p" stage="[før]"><lane name="[bold]Rolle"><task name="[red]Ring[/red] søker" '
                   'minutes="5"/><task name="Skriv [/x] brev" minutes="3"/></lane></process>', encoding="utf-8")
    two = tmp_path / "two.lite.xml"
    two.write_text('<process name="p" stage="[etter]"><lane name="[bold]Rolle"><task name="[red]Ring[/red] søker" '
                   'minutes="4"/></lane></process>', encoding="utf-8")
    out = render(procmap.compare([one, two]))
    assert "[bold]Rolle" in out and "[red]Ring[/red] søker" in out and "Skriv [/x] brev" in out
    assert "[før] → [etter]" in out


def test_partial_minutes_are_marked(tmp_path):
    text = LITE[1].read_text(encoding="utf-8").replace(' minutes="15" low="10" high="25"', "", 1)
    path = tmp_path / "e.lite.xml"
    path.write_text(text, encoding="utf-8")
    out = render(procmap.compare([LITE[0], path]))
    assert "80*" in out and "* some tasks of the role have no minutes" in out
