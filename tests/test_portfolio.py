"""`procmap portfolio`: the sample service and generated variants ranked by the hours they free, exactly as
`procmap compare` counts them; services that fail are listed and never stop the others; the cache; Dask."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import procmap
from procmap.compare.effort import TOTAL
from procmap.options import CompareOptions
from procmap.portfolio.run import chunk_size, compare_services, run_portfolio
from procmap.portfolio.services import find_services

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "barnehage"
LITE = sorted(SAMPLE.glob("*.lite.xml"))
RATES = SAMPLE / "rates.csv"
sys.path.insert(0, str(ROOT / "bench"))
from portfolio_synth import make_services  # noqa: E402

SERVICE_KEYS = {"service", "stages", "hours_saved", "fte_saved", "money_saved", "roles", "error"}


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="160")
    return subprocess.run([sys.executable, "-m", "procmap", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env)


def _sample_into(folder: Path, name: str = "Barnehageplass (utvalg)") -> Path:
    service = folder / name
    service.mkdir(parents=True)
    for path in LITE:
        shutil.copy(path, service / path.name)
    return service


@pytest.fixture(scope="module")
def portfolio_dir(tmp_path_factory) -> Path:
    """The sample service and eight generated variants of it."""
    folder = tmp_path_factory.mktemp("portfolio") / "tjenester"
    make_services(folder, 8, seed=3)
    _sample_into(folder)
    return folder


def _compare_json(files, *flags):
    proc = run("compare", *files, *flags, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _first_last(comparison: dict, role: str = TOTAL) -> dict:
    first, last = comparison["stages"][0]["name"], comparison["stages"][-1]["name"]
    return next(s for s in comparison["savings"]
                if s["role"] == role and s["from_stage"] == first and s["to_stage"] == last)


# --------------------------------------------------------------------------- figures and ranking
def test_a_services_hours_are_exactly_what_compare_gives(portfolio_dir):
    flags = ["--cases", "1000", "--rates", RATES]
    proc = run("portfolio", portfolio_dir, *flags, "--json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"services", "roles", "failed"} and result["failed"] == []
    assert len(result["services"]) == 9
    sample = next(s for s in result["services"] if s["service"] == "Barnehageplass (utvalg)")
    assert SERVICE_KEYS <= set(sample)
    compared = _compare_json(LITE, *flags)
    total = _first_last(compared)
    assert sample["hours_saved"] == total["hours"] and sample["hours_saved"] is not None
    assert sample["fte_saved"] == total["fte"] and sample["money_saved"] == total["money"]
    assert (sample["hours_p10"], sample["hours_p90"]) == (total["hours_interval"]["p10"], total["hours_interval"]["p90"])
    assert sample["stages"] == [s["name"] for s in compared["stages"]]
    assert sample["tasks"] == [s["tasks"] for s in compared["stages"]] == [23, 16, 12]  # FACTS.md
    for role in compared["roles"]:
        saving = _first_last(compared, role)
        assert sample["roles"][role]["hours_saved"] == saving["hours"], role
        assert sample["roles"][role]["money_saved"] == saving["money"], role
    # and each step, as compare has it
    for step in sample["steps"]:
        pair = next(s for s in compared["savings"] if s["role"] == TOTAL and s["from_stage"] == step["from_stage"]
                    and s["to_stage"] == step["to_stage"])
        assert step["hours_saved"] == pair["hours"]


def test_services_are_ranked_by_the_hours_they_free(portfolio_dir):
    done, _ = run_portfolio(portfolio_dir, CompareOptions(cases_per_year=800, rate=700), jobs=2, use_cache=False)
    expected = {}
    for folder in sorted(p for p in portfolio_dir.iterdir()):
        comparison = procmap.compare([procmap.read(f) for f in sorted(folder.glob("*.lite.xml"))],
                                     cases_per_year=800, rate=700)
        expected[folder.name] = next(s.hours for s in comparison.savings
                                     if s.role == TOTAL and s.from_stage == comparison.stages[0].name
                                     and s.to_stage == comparison.stages[-1].name)
    assert len(set(expected.values())) == len(expected)  # the variants really differ
    assert [s.service for s in done.services] == sorted(expected, key=lambda name: -expected[name])
    assert [s.hours_saved for s in done.services] == sorted(expected.values(), reverse=True)
    # the table on the screen has the same order
    proc = run("portfolio", portfolio_dir, "--cases", "800", "--rate", "700", "--no-cache", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    positions = [proc.stdout.index(s.service) for s in done.services]
    assert positions == sorted(positions)
    assert "Portfolio: 9 services ranked by the working time they free" in proc.stdout


def test_role_totals_add_up_across_services(portfolio_dir):
    done, _ = run_portfolio(portfolio_dir, CompareOptions(cases_per_year=1000, rates=RATES), jobs=1, use_cache=False)
    by_role: dict[str, list] = {}
    for s in done.services:
        assert sum(r.hours_saved for r in s.roles.values() if r.hours_saved is not None) == pytest.approx(s.hours_saved)
        for role, r in s.roles.items():
            by_role.setdefault(role, []).append(r)
    totals = {t.role: t for t in done.roles}
    assert set(totals) == set(by_role)
    for role, rows in by_role.items():
        assert totals[role].services == len(rows)
        assert totals[role].hours_saved == pytest.approx(sum(r.hours_saved for r in rows))
        fte = [r.fte_saved for r in rows if r.fte_saved is not None]
        assert totals[role].fte_saved == (pytest.approx(sum(fte)) if fte else None)
    assert [t.hours_saved for t in done.roles] == sorted((t.hours_saved for t in done.roles), reverse=True)
    # Saksbehandler has a rate, so its sentence speaks of full-time equivalents freed across its services
    staff = totals["Saksbehandler"]
    assert staff.fte_saved and staff.services >= 2
    proc = run("portfolio", portfolio_dir, "--cases", "1000", "--rates", RATES, "--no-cache", "--lang", "en")
    n = f"{staff.services}"
    assert f"Saksbehandler: {staff.fte_saved:,.1f} FTE freed across {n} services" in proc.stdout


def test_a_process_pool_and_one_process_give_the_same_portfolio(portfolio_dir):
    options = CompareOptions(cases_per_year=1000, rate=650)
    pooled, _ = run_portfolio(portfolio_dir, options, jobs=2, use_cache=False)
    alone, _ = run_portfolio(portfolio_dir, options, jobs=1, use_cache=False)
    assert pooled.to_json() == alone.to_json()
    assert chunk_size(1000, 2) == 63 and chunk_size(3, 2) == 1
    # a chunk of several services per round trip still brings every result back, in place
    services = find_services(portfolio_dir).services
    got = dict(compare_services(services, options, jobs=2, chunk=4))
    assert sorted(got) == list(range(len(services)))
    assert [got[i].service for i in range(len(services))] == [s.name for s in services]


def test_a_services_own_cases_per_year_wins_over_cases(tmp_path):
    manifest = tmp_path / "tjenester.csv"
    rows = ["service,stage,file,cases_per_year"]
    for name, cases in (("Halvparten", "500"), ("Standard", ""), ("Dobbelt", "2 000")):
        for stage, path in zip(("manuell", "e-skjema", "integrert"), LITE):
            rows.append(f"{name},{stage},{os.path.relpath(path, tmp_path)},{cases}")
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done, _ = run_portfolio(manifest, CompareOptions(cases_per_year=1000, simulations=0), use_cache=False)
    hours = {s.service: s.hours_saved for s in done.services}
    assert hours["Halvparten"] * 2 == pytest.approx(hours["Standard"])
    assert hours["Dobbelt"] == pytest.approx(hours["Standard"] * 2)
    assert [s.service for s in done.services] == ["Dobbelt", "Standard", "Halvparten"]
    assert done.services[0].stages == ["manuell", "e-skjema", "integrert"]
    assert done.services[0].cases_per_year == 2000
    own = procmap.compare([procmap.read(p) for p in LITE], cases_per_year=2000, simulations=0,
                          stages="manuell,e-skjema,integrert")
    assert hours["Dobbelt"] == next(s.hours for s in own.savings if s.role == TOTAL and s.from_stage == "manuell"
                                    and s.to_stage == "integrert")


# --------------------------------------------------------------------------- bad input
def test_failing_services_are_listed_and_the_others_kept(tmp_path):
    folder = tmp_path / "tjenester"
    make_services(folder, 3)
    broken = _sample_into(folder, "Ødelagt fil")
    (broken / "2-eskjema.lite.xml").write_text("<process><lane name='A'><task id='t'", encoding="utf-8")
    one = folder / "Ett trinn"
    one.mkdir()
    shutil.copy(LITE[0], one / LITE[0].name)
    (folder / "Tom mappe").mkdir()
    (folder / "Tom mappe" / "notater.txt").write_text("ingen trinn her", encoding="utf-8")
    _sample_into(folder, "BARNEHAGE")
    _sample_into(folder, "barnehage")
    proc = run("portfolio", folder, "--cases", "100", "--json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    result = json.loads(proc.stdout)
    assert len(result["services"]) == 4  # the three variants and the first of the two barnehage
    failed = {f["service"]: f["error"] for f in result["failed"]}
    assert set(failed) == {"Ødelagt fil", "Ett trinn", "Tom mappe", "barnehage"}
    assert "2-eskjema.lite.xml:1" in failed["Ødelagt fil"] and "\n" not in failed["Ødelagt fil"]
    assert "only one stage (1-manual.lite.xml)" in failed["Ett trinn"]
    assert "no stage files" in failed["Tom mappe"]
    assert "also used by the service 'BARNEHAGE'" in failed["barnehage"]
    for name, reason in failed.items():  # one line each on stderr
        assert f"procmap: {name}: {reason}" in proc.stderr.splitlines()


def test_a_manifest_with_a_missing_file_a_twice_listed_stage_and_a_name_written_twice(tmp_path):
    rel = [os.path.relpath(p, tmp_path) for p in LITE]
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join([
        "service;stage;file",
        f"God;manuell;{rel[0]}", f"God;integrert;{rel[2]}",
        f"Mangler;manuell;{rel[0]}", "Mangler;integrert;finnes/ikke.lite.xml",
        f"To ganger;a;{rel[0]}", f"To ganger;a;{rel[1]}",
        f"Skoleskyss;manuell;{rel[0]}", f"skoleskyss;integrert;{rel[2]}",
        f"Ett;manuell;{rel[0]}",
    ]) + "\n", encoding="utf-8")
    proc = run("portfolio", manifest, "--json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [s["service"] for s in result["services"]] == ["God"]
    failed = {f["service"]: f["error"] for f in result["failed"]}
    assert "line 5: " in failed["Mangler"] and "ikke.lite.xml: no such file" in failed["Mangler"]
    assert "the stage 'a' is listed twice" in failed["To ganger"]
    assert "differ only in case" in failed["Skoleskyss"]
    assert "only one stage" in failed["Ett"]


@pytest.mark.parametrize("text, needle", [
    ("service,stage,file,owner\nA,a,x.lite.xml,Kari\n", "unknown column 'owner'"),
    ("service,file\nA,x.lite.xml\n", "the column stage is missing"),
    ("", "the manifest file is empty"),
])
def test_a_manifest_that_cannot_be_read_is_one_error(tmp_path, text, needle):
    manifest = tmp_path / "m.csv"
    manifest.write_text(text, encoding="utf-8")
    proc = run("portfolio", manifest, "--no-cache")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and str(manifest) in lines[0] and "Traceback" not in proc.stderr


def test_nothing_to_rank_is_a_clear_exit(tmp_path):
    assert "no such folder or manifest" in run("portfolio", tmp_path / "nowhere").stderr
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(LITE[0], flat / LITE[0].name)
    proc = run("portfolio", flat)
    assert proc.returncode == 2 and "no service folders" in proc.stderr and "procmap compare" in proc.stderr
    alone = tmp_path / "alone"
    (alone / "svc").mkdir(parents=True)
    shutil.copy(LITE[0], alone / "svc" / LITE[0].name)
    proc = run("portfolio", alone, "--no-cache")
    assert proc.returncode == 3 and "svc: only one stage" in proc.stderr and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- the cache
def test_an_unchanged_rerun_comes_from_the_cache(tmp_path):
    folder = tmp_path / "tjenester"
    made = make_services(folder, 5)
    cache = tmp_path / "cache"
    rates = tmp_path / "rates.csv"
    rates.write_text("role,rate\nSaksbehandler,700\n", encoding="utf-8")
    options = CompareOptions(cases_per_year=1000, rates=rates)
    first, notes = run_portfolio(folder, options, cache_dir=cache, jobs=1)
    assert first.cached == 0 and notes == []
    assert len(list((cache / "portfolio").rglob("*.json"))) == 5
    again, _ = run_portfolio(folder, options, cache_dir=cache, jobs=1)
    assert again.cached == 5 and again.to_json() == first.to_json()
    # one file changed: that service alone is compared again
    stage = made[2] / "3-integrert.lite.xml"
    stage.write_bytes(stage.read_bytes() + "<!-- endret -->\n".encode("utf-8"))
    changed, _ = run_portfolio(folder, options, cache_dir=cache, jobs=1)
    assert changed.cached == 4
    # the rates table is keyed by its content, not its name
    rates.write_text("role,rate\nSaksbehandler,900\n", encoding="utf-8")
    repriced, _ = run_portfolio(folder, options, cache_dir=cache, jobs=1)
    assert repriced.cached == 0
    assert repriced.money_saved != changed.money_saved
    # --no-cache reads and writes nothing there
    before = sorted((cache / "portfolio").rglob("*.json"))
    assert run_portfolio(folder, options.replace(cases_per_year=5), cache_dir=cache, use_cache=False)[0].cached == 0
    assert sorted((cache / "portfolio").rglob("*.json")) == before


def test_the_cache_folder_follows_xdg_and_the_command_says_where(tmp_path):
    folder = tmp_path / "tjenester"
    make_services(folder, 2)
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    args = [sys.executable, "-m", "procmap", "portfolio", str(folder), "--json"]
    first = subprocess.run(args, capture_output=True, text=True, env=env)
    second = subprocess.run(args, capture_output=True, text=True, env=env)
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    assert len(list((tmp_path / "xdg" / "procmap" / "portfolio").rglob("*.json"))) == 2
    assert f"2 av 2 tjenester hentet fra hurtiglageret ({tmp_path / 'xdg' / 'procmap'})" in second.stderr


# --------------------------------------------------------------------------- outputs
def test_tables_and_the_report(portfolio_dir, tmp_path):
    out = tmp_path / "ut"
    proc = run("portfolio", portfolio_dir, "--cases", "1000", "--rates", RATES, "--no-cache", "--csv", out,
               "--xlsx", tmp_path / "p.xlsx", "--html", tmp_path / "p.html", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    with open(out / "services.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["rank"]) for r in rows] == list(range(1, 10))
    hours = [float(r["hours_saved"]) for r in rows]
    assert hours == sorted(hours, reverse=True)
    assert sorted(p.name for p in out.iterdir()) == ["failed.csv", "roles.csv", "service_roles.csv", "services.csv"]
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True)
    assert book.sheetnames == ["services", "service_roles", "roles", "failed"]
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert page.count('<section class="service keep" id="service-') == 9
    assert "FTE freed across" in page and "<svg" in page and "http" not in page.replace("http://www.w3.org", "")
    for rank in range(1, 10):
        assert f'href="#service-{rank}"' in page


def _no_minutes_into(folder: Path, name: str = "Uten minutter") -> None:
    """The sample's stages with every minute taken out: its hours are unknown."""
    import re

    service = folder / name
    service.mkdir(parents=True)
    for path in LITE:
        text = re.sub(r'\s(minutes|low|high)="[^"]*"', "", path.read_text(encoding="utf-8"))
        (service / path.name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def sample_and_unknown(tmp_path_factory) -> Path:
    """The sample service, and the sample again with no minutes (hours unknown)."""
    folder = tmp_path_factory.mktemp("ukjent") / "tjenester"
    _sample_into(folder)
    _no_minutes_into(folder)
    return folder


def test_the_hours_beside_work_years_are_the_organisations_own(sample_and_unknown, tmp_path):
    """2 883 hours, 1 139 of them the applicant's (no rate): 1,0 årsverk is 1 744 hours, and the headline,
    the cards and the chart say so; the applicant's hours are said on their own."""
    proc = run("portfolio", sample_and_unknown, "--cases", "1000", "--rates", RATES, "--no-cache", "--json")
    assert proc.returncode == 0, proc.stderr
    sample = next(s for s in json.loads(proc.stdout)["services"] if s["hours_saved"] is not None)
    soker = sample["roles"]["Søker"]["hours_saved"]
    assert sample["hours_outside"] == pytest.approx(soker) and sample["roles_outside"] == ["Søker"]
    assert sample["hours_inside"] == pytest.approx(sample["hours_saved"] - soker)
    assert sample["fte_saved"] == pytest.approx(sample["hours_inside"] / 1695)
    page = tmp_path / "p.html"
    proc = run("portfolio", sample_and_unknown, "--cases", "1000", "--rates", RATES, "--no-cache", "--html", page)
    text = " ".join(proc.stdout.split()).replace("\u00a0", " ")
    assert ("Hele porteføljen: 1 744 timer i året frigjort i organisasjonen (1,0 årsverk) av 1 tjeneste, "
            "og 1 139 timer i året spart utenfor organisasjonen (Søker)") in text
    html = page.read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "1 744 t · 1,0 årsverk · + 1 139 t utenfor organisasjonen" in html  # the bar
    assert ">Timer i året i organisasjonen</div><div class=\"big\">1 744 <" in html  # the card beside Årsverk
    assert "2 883 timer" not in text and "2 883 timer" not in html


def test_unknown_hours_are_never_0_and_a_sum_without_them_says_so(sample_and_unknown, tmp_path):
    page = tmp_path / "p.html"
    proc = run("portfolio", sample_and_unknown, "--cases", "1000", "--rates", RATES, "--no-cache", "--html", page)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split()).replace("\u00a0", " ")
    assert "1 tjeneste uten kjente timer er ikke med i summen" in text
    assert "Portefølje: 2 tjenester" in text
    html = page.read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "… og 1 tjeneste til: timer ukjent" in html  # the chart: was "… og 1 tjenester til: 0 timer i året"
    assert "0 timer i året" not in html and "1 tjenester" not in html and "1 saker" not in html
    assert "1 tjeneste uten kjente timer er ikke med i summen" in html
    done, _ = run_portfolio(sample_and_unknown, CompareOptions(cases_per_year=1000, rates=RATES), jobs=1,
                            use_cache=False)
    unknown = next(s for s in done.services if s.service == "Uten minutter")
    assert (unknown.hours_saved, unknown.hours_inside, unknown.hours_outside) == (None, None, None)


def test_one_is_singular(tmp_path):
    from procmap.portfolio.report import portfolio_html

    one = tmp_path / "en"
    _sample_into(one)
    done, _ = run_portfolio(one, CompareOptions(cases_per_year=1, rates=RATES), jobs=1, use_cache=False)
    for lang, singular, plural in (("nb", ("1 tjeneste", "1 sak i året"), ("1 tjenester", "1 saker")),
                                   ("en", ("1 service", "1 case a year"), ("1 services", "1 cases"))):
        page = portfolio_html(done, lang=lang)
        assert all(s in page for s in singular) and not any(p in page for p in plural), lang
    proc = run("compare", *LITE, "--cases", "1")
    assert "(1 sak)" in proc.stdout and "1 saker" not in proc.stdout


def test_the_chart_stays_readable_with_many_services(tmp_path):
    folder = tmp_path / "mange"
    make_services(folder, 36)
    done, _ = run_portfolio(folder, CompareOptions(cases_per_year=300, rate=600, simulations=0), use_cache=False)
    from procmap.portfolio.report import TOP, services_chart

    svg = services_chart(done, "nb")
    assert svg.count("<rect") == TOP + 1  # 30 bars and the background
    assert "… og 6 tjenester til:" in svg
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_no_cases_ranks_by_minutes_per_case(portfolio_dir):
    done, _ = run_portfolio(portfolio_dir, CompareOptions(), jobs=1, use_cache=False)
    assert all(s.hours_saved is None for s in done.services)
    minutes = [s.minutes_saved for s in done.services]
    assert minutes == sorted(minutes, reverse=True) and minutes[0] > 0
    proc = run("portfolio", portfolio_dir, "--no-cache")
    assert "rangert etter minutter spart per sak" in proc.stdout


def test_an_output_over_an_input_is_refused(portfolio_dir, tmp_path):
    target = next(portfolio_dir.glob("*/1-manual.lite.xml"))
    before = target.read_bytes()
    proc = run("portfolio", portfolio_dir, "--no-cache", "--html", target)
    # refused before anything is written (an .xml is no web page's name)
    assert proc.returncode == 2 and "needs a name ending in .html" in proc.stderr, proc.stderr
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- Dask
@pytest.mark.parametrize("processes", [False, True], ids=["threads", "processes"])
def test_a_dask_cluster_gives_the_same_portfolio(portfolio_dir, processes):
    distributed = pytest.importorskip("distributed")
    options = CompareOptions(cases_per_year=1000, rates=RATES)
    pooled, _ = run_portfolio(portfolio_dir, options, jobs=2, use_cache=False)
    with distributed.LocalCluster(host="127.0.0.1", dashboard_address=None, n_workers=1, threads_per_worker=1,
                                  processes=processes, protocol="tcp") as cluster:
        with distributed.Client(cluster) as client:
            on_dask, _ = run_portfolio(portfolio_dir, options, executor=client.get_executor(), use_cache=False)
        assert on_dask.to_json() == pooled.to_json()
        if processes:  # and the command, pointed at the running cluster
            proc = run("portfolio", portfolio_dir, "--cases", "1000", "--rates", RATES, "--no-cache", "--json",
                       "--scheduler", cluster.scheduler_address)
            assert proc.returncode == 0, proc.stderr
            assert json.loads(proc.stdout) == json.loads(pooled.to_json())


def test_an_unreachable_scheduler_is_one_error():
    pytest.importorskip("distributed")
    from procmap.errors import ProcmapError
    from procmap.portfolio.run import dask_executor

    with pytest.raises(ProcmapError, match=r"^cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 \(") as caught:
        with dask_executor("tcp://127.0.0.1:9", timeout=1):
            pass
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- any executor
def test_any_executor_and_a_worker_lost_on_the_way(portfolio_dir, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from procmap.portfolio.assess import assess_many

    options = CompareOptions(cases_per_year=1000, simulations=0)
    alone, _ = run_portfolio(portfolio_dir, options, jobs=1, use_cache=False)

    class LosesTheFirstChunk(ThreadPoolExecutor):
        def __init__(self):
            super().__init__(max_workers=2)
            self.chunks = 0

        def submit(self, fn, /, *args, **kwargs):
            assert fn is assess_many
            self.chunks += 1
            if self.chunks == 1:
                return super().submit(lambda: (_ for _ in ()).throw(OSError("connection to the worker lost")))
            return super().submit(fn, *args, **kwargs)

    with LosesTheFirstChunk() as executor:
        done, _ = run_portfolio(portfolio_dir, options, executor=executor, cache_dir=tmp_path, use_cache=True)
        assert executor.chunks > 1
    lost = [s.service for s in done.failed]
    assert lost and all("worker comparing it stopped (OSError: connection to the worker lost)" in s.error
                        for s in done.failed)
    assert len(done.services) + len(lost) == 9
    assert [s for s in alone.services if s.service not in lost] == done.services  # the others, as ever
    # what the machine lost is not kept: the next run compares those services again
    again, _ = run_portfolio(portfolio_dir, options, cache_dir=tmp_path, jobs=1)
    assert again.cached == len(done.services) and not again.failed


def test_a_file_over_the_size_limit_fails_its_service_only(tmp_path):
    folder = tmp_path / "tjenester"
    made = make_services(folder, 3)
    big = made[1] / "2-eskjema.lite.xml"
    big.write_bytes(big.read_bytes() + b"<!--" + b" " * 200_000 + b"-->\n")
    proc = run("portfolio", folder, "--max-size", "0.1", "--json", "--cache-dir", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [f["service"] for f in result["failed"]] == [made[1].name] and len(result["services"]) == 2
    assert "2-eskjema.lite.xml" in result["failed"][0]["error"] and "MB" in result["failed"][0]["error"]
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 2  # the one over the limit is not kept


def test_service_names_in_any_bytes_and_letters(tmp_path):
    folder = tmp_path / "tjenester"
    odd = os.path.join(os.fsencode(folder), b"Tjeneste \xff")
    os.makedirs(odd)
    for path in LITE:
        shutil.copy(path, os.path.join(odd, os.fsencode(path.name)))
    _sample_into(folder, "Ærlig søknad på støtte")
    proc = run("portfolio", folder, "--no-cache", "--json", "--html", tmp_path / "p.html", "--csv", tmp_path / "csv")
    assert proc.returncode == 0, proc.stderr
    names = {s["service"] for s in json.loads(proc.stdout)["services"]}
    assert names == {"Tjeneste \\xff", "Ærlig søknad på støtte"}
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "Tjeneste \\xff" in page and "Ærlig søknad på støtte" in page
