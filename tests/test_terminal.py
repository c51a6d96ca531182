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
    # minutes (low + 4 x minutes + high) / 6 from FACTS: Søker 105 -> 36.67, Saksbehandler 109.67 -> 32.67
    assert lines[0] == "Søker: 6 → 3 → 3 tasks; saves 1,139 hours a year"  # the applicant: no rate, no FTE
    assert lines[3] == ("Saksbehandler: 11 → 10 → 3 manual tasks, 0 → 0 → 1 automated steps; saves 1,283 hours and "
                        "962,500 NOK a year (0.76 FTE)")
    total = lines[-1]
    # the organisation's hours beside its money and work years (2,883 - the applicant's 1,139), the applicant's apart
    assert total.startswith("In total: 23 → 16 → 7 manual tasks, 0 → 0 → 5 automated steps; saves 1,744 hours and "
                            "1,262,222 NOK a year (1.03 FTE); and 1,139 hours a year saved outside the organisation "
                            "(Søker)")
    nb = summary_lines(c, "nb")
    assert nb[1].startswith("Servicetorget: 3 → 1 → – oppgaver; borte i Integrert; sparer 158 timer og 102\u00a0917 NOK")


def test_more_work_is_said_plainly():
    c = procmap.compare(list(reversed(LITE)), cases_per_year=1000)
    assert summary_lines(c)[0] == "Søker: 3 → 3 → 6 tasks; adds 1,139 hours a year (0.67 FTE)"


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
    assert "83*" in out and "* some tasks of the role have no minutes" in out  # 98.83 - punch 15.83
