"""procmap serve without a browser: the JSON API is `procmap compare --json`, limits give a 4xx, users do not mix."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import zipfile
from html import unescape
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
httpx = pytest.importorskip("httpx")

from _web import SAMPLE, STAGES, running, stage_files, without_stage  # noqa: E402

from procmap.options import Limits  # noqa: E402


@pytest.fixture(scope="module")
def url():
    with running() as address:
        yield address


def cli_json(*args: str) -> str:
    """What `procmap compare --json` prints, run in the sample folder so file names are the same as uploaded."""
    done = subprocess.run([sys.executable, "-m", "procmap", "compare", *args, "--json"], cwd=SAMPLE,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_api_answers_what_compare_json_prints(url):
    names = [p.name for p in STAGES]
    cli = cli_json(*names, "--cases", "1000", "--rates", "rates.csv", "--rate", "650",
                   "--alias", "Saksbehandler barnehage=Saksbehandler", "--simulations", "500")
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=[*stage_files(), ("rates", ("rates.csv", (SAMPLE / "rates.csv")
                                                                                .read_bytes(), "text/csv"))],
                             data={"cases": "1000", "rate": "650", "alias": ["Saksbehandler barnehage=Saksbehandler"],
                                   "simulations": "500"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert json.loads(answer.text) == json.loads(cli)
    assert answer.text == cli.rstrip("\n")  # byte for byte, indentation and æøå included
    data = answer.json()
    assert [s["source"] for s in data["stages"]] == names
    assert data["settings"]["cases_per_year"] == 1000 and data["settings"]["rates"]


def test_api_takes_the_stages_in_the_order_sent_and_their_names(url):
    lite = [SAMPLE / "3-integrert.lite.xml", SAMPLE / "1-manual.lite.xml"]
    cli = cli_json(*[p.name for p in lite], "--stages", "nå,før")
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=stage_files(lite), data={"stages": "nå,før"})
    assert answer.status_code == 200, answer.text
    assert answer.text == cli.rstrip("\n")
    assert [s["name"] for s in answer.json()["stages"]] == ["nå", "før"]


@pytest.mark.parametrize("files, data, status, said", [
    ([STAGES[0]], {}, 400, "at least two stages"),
    (STAGES, {"cases": "mange"}, 400, "cases 'mange' is not a number"),
    (STAGES, {"simulations": "-1"}, 400, "simulations must be between"),
    (STAGES, {"lang": "de"}, 400, "--lang must be one of en, nb"),
    (STAGES, {"casse": "10"}, 400, "unknown field casse"),
    (STAGES, {"alias": "no equals sign"}, 400, "must look like 'Lane name=Role'"),
])
def test_api_refuses_bad_requests_with_one_clear_line(url, files, data, status, said):
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=stage_files(files), data=data)
    assert answer.status_code == status
    assert said in answer.json()["detail"]


def test_api_names_a_bad_file(url):
    files = [*stage_files(STAGES[:2]), ("files", ("ødelagt.bpmn", b"<definitions><process>", "text/xml")),
             ("files", ("bilde.bpmn", b"\x89PNG\r\n\x1a\n....", "image/png"))]
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=files)
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "ødelagt.bpmn" in detail and "bilde.bpmn" in detail and "is a PDF or image" in detail


def test_file_names_are_never_paths(url):
    files = [("files", ("../../etc/1-manual.bpmn", STAGES[0].read_bytes(), "text/xml")),
             ("files", ("C:\\Users\\x\\2-eskjema.bpmn", STAGES[1].read_bytes(), "text/xml"))]
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=files)
    assert answer.status_code == 200, answer.text
    assert [s["source"] for s in answer.json()["stages"]] == ["1-manual.bpmn", "2-eskjema.bpmn"]


def test_limits_give_413_and_400():
    small = Limits(max_file_size=0.02, max_files=3, max_total_size=0.05)
    big = STAGES[0].read_bytes() + b" " * 25_000
    with running(small) as address, httpx.Client(base_url=address, timeout=60) as client:
        too_large = client.post("/api/compare", files=[("files", ("stor.bpmn", big, "text/xml")),
                                                       *stage_files(STAGES[1:])])
        assert too_large.status_code == 413
        assert "stor.bpmn" in too_large.json()["detail"] and "0.02 MB limit" in too_large.json()["detail"]
        too_many = client.post("/api/compare", files=stage_files(STAGES + STAGES[:1]))
        assert too_many.status_code in (400, 413)
        assert "files" in too_many.json()["detail"].lower()
        body = client.post("/api/compare", files=[("files", (f"{i}.bpmn", b"x" * 30_000, "text/xml"))
                                                  for i in range(3)])
        assert body.status_code == 413
        # The page says the same in words and keeps what it could take.
        page = client.post("/update", files=[("files", ("stor.bpmn", big, "text/xml")), *stage_files(STAGES[1:])])
        assert page.status_code == 200
        assert "stor.bpmn: the file is" in page.text and "over the 0.02 MB limit" in page.text
        assert "2-eskjema.bpmn" in page.text and "3-integrert.bpmn" in page.text


def _page_links(html: str) -> list[str]:
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(v for k, v in attrs if k in ("href", "src", "action", "hx-post", "hx-get") and v)

    Links().feed(html)
    return found


def test_the_page_fetches_nothing_from_elsewhere(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "procmap_session" in page.cookies
        links = _page_links(page.text)
        assert "/static/htmx.min.js" in links
        assert all(link.startswith(("/", "#")) for link in links), links
        assert "default-src 'self'" in page.headers["content-security-policy"]
        htmx = client.get("/static/htmx.min.js")
        assert htmx.status_code == 200 and htmx.text.startswith("var htmx=function()")
        # A page elsewhere cannot reach the server under another name (DNS rebinding).
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def _session(url: str, stages, data: dict, results: dict, key: str, barrier: threading.Barrier) -> None:
    with httpx.Client(base_url=url, timeout=120) as client:
        client.get("/")
        barrier.wait()
        for _ in range(3):
            page = client.post("/update", files=stage_files(stages), data=data)
            assert page.status_code == 200
        results[key] = (page.text, client.get("/download/tables.zip").content,
                        client.get("/download/poster.pdf").content)


def test_two_users_at_once_do_not_mix_their_work(url):
    results: dict = {}
    barrier = threading.Barrier(2)
    lite = [SAMPLE / "1-manual.lite.xml", SAMPLE / "3-integrert.lite.xml"]
    threads = [threading.Thread(target=_session, args=(url, STAGES, {"cases": "1000", "lang": "en"}, results, "a",
                                                       barrier)),
               threading.Thread(target=_session, args=(url, lite, {"cases": "250", "lang": "nb"}, results, "b",
                                                       barrier))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    page_a, zip_a, pdf_a = results["a"]
    page_b, zip_b, pdf_b = results["b"]
    assert "2-eskjema.bpmn" in page_a and "1-manual.lite.xml" not in page_a and "Hours a year" in page_a
    assert "1-manual.lite.xml" in page_b and "2-eskjema" not in page_b and "Timer i året" in page_b
    # Three uploads of the same files replace, not add: three stages for a, two for b.
    assert page_a.count('class="file"') == 3 and page_b.count('class="file"') == 2
    stages_a = zipfile.ZipFile(io.BytesIO(zip_a)).read("stages.csv").decode("utf-8-sig")
    stages_b = zipfile.ZipFile(io.BytesIO(zip_b)).read("stages.csv").decode("utf-8-sig")
    assert "2-eskjema.bpmn" in stages_a and "1-manual.lite.xml" in stages_b
    assert pdf_a.startswith(b"%PDF") and pdf_b.startswith(b"%PDF") and pdf_a != pdf_b


def test_the_page_keeps_good_files_and_names_the_bad_one(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        one = client.post("/update", files=stage_files(STAGES[:1]), data={"lang": "en"})
        assert "Choose at least two stages to compare." in one.text
        assert client.get("/download/poster.pdf").status_code == 409
        page = client.post("/update", files=[("files", ("tom.bpmn", b"", "text/xml")),
                                             *stage_files(STAGES[1:])], data={"lang": "en"})
        assert "tom.bpmn: file is empty" in page.text
        assert page.text.count('class="file"') == 3  # the first stage kept, the two good ones added
        assert 'id="result"' in page.text


def test_corrections_recompute_and_every_repeatable_option_is_one(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        client.post("/update", files=stage_files(), data={"lang": "en", "cases": "1000"})
        before = client.get("/download/tables.zip").content
        page = client.post("/update", data={"lang": "en", "cases": "1000",
                                            "add:alias": "Servicetorget=Arkiv"})
        assert page.status_code == 200
        assert 'name="alias" value="Servicetorget=Arkiv"' in page.text
        roles = re.findall(r'<tr data-role="([^"]+)">', page.text)
        assert "Servicetorget" not in roles and "Arkiv" in roles
        after = client.get("/download/tables.zip").content
        assert after != before
        # A bad correction is refused in words, and the good one stays.
        bad = client.post("/update", data={"lang": "en", "cases": "1000", "alias": "Servicetorget=Arkiv",
                                           "add:alias": "no equals"})
        assert "must look like 'Lane name=Role'" in unescape(bad.text)
        assert 'name="alias" value="Servicetorget=Arkiv"' in bad.text
        # Dropping it brings the role back.
        undone = client.post("/update", data={"lang": "en", "cases": "1000", "alias": "Servicetorget=Arkiv",
                                              "action": "drop:alias:0"})
        assert "Servicetorget" in re.findall(r'<tr data-role="([^"]+)">', undone.text)
    from procmap.options import CompareOptions, flags

    repeatable = [flag.name for _, flag, _ in flags(CompareOptions) if flag.repeatable]
    assert repeatable and all(f'name="add:{name}"' in page.text for name in repeatable)


def test_stages_can_be_reordered_renamed_and_removed(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=stage_files(list(reversed(STAGES))), data={"lang": "en"})
        order = re.findall(r'class="file" id="stage-\d-file">file ([^<]+)<', page.text)
        assert order == [p.name for p in STAGES]  # by the numbers the names begin with: oldest stage first
        page = client.post("/update", data={"lang": "en", "stage:0": "papir", "stage:1": "e-form",
                                            "stage:2": "integrated", "action": "down:0"})
        assert re.findall(r'class="file" id="stage-\d-file">file ([^<]+)<', page.text) == [
            "2-eskjema.bpmn", "1-manual.bpmn", "3-integrert.bpmn"]
        assert 'value="papir"' in page.text
        data = client.get("/download/tables.zip").content
        stages = zipfile.ZipFile(io.BytesIO(data)).read("stages.csv").decode("utf-8-sig")
        assert stages.index("e-form") < stages.index("papir") < stages.index("integrated")
        page = client.post("/update", data={"lang": "en", "action": "remove:2"})
        assert page.text.count('class="file"') == 2


def _stage_order(page: str) -> list[str]:
    return re.findall(r'class="file" id="stage-\d-file">(?:fil|file) ([^<]+)<', page)


def _order_notice(page: str) -> str:
    found = re.search(r'id="order-notice"[^>]*>([^<]*)<', page)
    return unescape(found[1]) if found else ""


@pytest.mark.parametrize("chosen", [["før.bpmn", "etter.bpmn"], ["etter.bpmn", "før.bpmn"],
                                    ["before.bpmn", "after.bpmn", "later.bpmn"]])
def test_stages_come_in_the_order_chosen_and_the_page_says_so(url, chosen):
    """Names that do not say the order are never sorted (etter < før would turn every saving round)."""
    files = [("files", (name, without_stage(path), "text/xml")) for name, path in zip(chosen, STAGES)]
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=files, data={"lang": "nb"}).text
        assert _stage_order(page) == chosen
        shown = " → ".join(name.removesuffix(".bpmn") for name in chosen)
        assert _order_notice(page) == f"Rekkefølgen er slik filene ble valgt: {shown}. Er den feil, flytt trinnene " \
                                      "med ↑ og ↓."
        first = re.search(r'<th scope="colgroup"[^>]*>([^<]*)<', page)
        assert first and first[1].casefold() == chosen[0].removesuffix(".bpmn")  # the results follow the list
        moved = client.post("/update", data={"lang": "nb", "action": "down:0"}).text
        assert _stage_order(moved) == [chosen[1], chosen[0], *chosen[2:]]
        assert _order_notice(moved) == ""  # the user has put them in order


@pytest.mark.parametrize("chosen, own_stage, expected", [
    ({"10-integrert.bpmn": 2, "03 manuell.bpmn": 0, "9-eskjema.bpmn": 1}, False,
     ["03 manuell.bpmn", "9-eskjema.bpmn", "10-integrert.bpmn"]),
    ({"a.bpmn": 2, "c.bpmn": 1, "b.bpmn": 0}, True, ["b.bpmn", "c.bpmn", "a.bpmn"]),  # manual, e-form, integrated
])
def test_numbers_in_the_names_or_the_files_own_stages_give_the_order(url, chosen, own_stage, expected):
    files = [("files", (name, STAGES[i].read_bytes() if own_stage else without_stage(STAGES[i]), "text/xml"))
             for name, i in chosen.items()]
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=files, data={"lang": "en"}).text
    assert _stage_order(page) == expected
    assert _order_notice(page) == ""


@pytest.mark.parametrize("kind, magic", [
    ("poster.pdf", b"%PDF"), ("poster.png", b"\x89PNG"), ("poster.svg", b"<?xml"), ("report.html", b"<!DOCTYPE html>"),
    ("cards.pdf", b"%PDF"), ("cards.html", b"<!DOCTYPE html>"), ("cards.md", b"# "), ("tables.xlsx", b"PK"),
    ("tables.zip", b"PK"), ("plan.xlsx", b"PK"), ("plan.pdf", b"%PDF"), ("plan.html", b"<!DOCTYPE html>"),
    ("map.svg", b"<?xml"), ("map.png", b"\x89PNG"), ("slides.pptx", b"PK"),
])
def test_every_download(url, kind, magic):
    with httpx.Client(base_url=url, timeout=120) as client:
        client.post("/update", files=stage_files(), data={"lang": "nb", "cases": "1000", "rate": "700",
                                                          "card-role": "Saksbehandler", "card-stage": "2",
                                                          "size": "A1"})
        answer = client.get(f"/download/{kind}")
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(magic)
    assert "attachment" in answer.headers["content-disposition"]
    if kind == "cards.md":
        text = answer.content.decode("utf-8")
        assert "Saksbehandler" in text and "Sammenlignet med" in text
    if kind == "poster.pdf":
        assert "A1" in answer.headers["content-disposition"]
    if kind == "slides.pptx":  # the deck opens: a title slide, the stages, the benefits
        import io

        from pptx import Presentation

        assert len(Presentation(io.BytesIO(answer.content)).slides) >= 5


def test_the_poster_link_says_plakat_in_norwegian_and_poster_in_english(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        nb = client.post("/update", files=stage_files(), data={"lang": "nb"})
        assert '<a class="button primary" href="/download/poster.pdf" download>Plakat (PDF)</a>' in nb.text
        en = client.post("/update", data={"lang": "en"})
        assert en.headers.get("hx-refresh") == "true"  # the whole page changes language
        assert '<a class="button primary" href="/download/poster.pdf" download>Poster (PDF)</a>' in en.text
        assert '<html lang="en">' in client.get("/").text


def test_serve_says_how_to_install_the_web_extra_when_it_is_missing():
    code = ("import sys; sys.modules['uvicorn'] = None; sys.argv = ['procmap', 'serve', '--no-browser']; "
            "from procmap.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "pip install 'procmap[web]'" in done.stderr


def test_sessions_are_bounded_and_expire():
    from procmap.web.sessions import SessionStore

    now = [0.0]
    store = SessionStore(max_sessions=2, ttl=60, clock=lambda: now[0])
    a, new_a = store.get(None)
    b, _ = store.get("forged")
    assert new_a and a.id != b.id and len(a.id) >= 32
    assert store.get(a.id) == (a, False)
    c, _ = store.get(None)  # a third user: the one idle the longest (b) is forgotten
    assert store.get(b.id)[0] is not b
    now[0] = 61.0
    assert len(store) == 0
    assert store.get(c.id)[1] is True  # expired: a fresh session


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_page_colours_have_enough_contrast():
    """WCAG AA (4.5:1) for every text colour of the page on every background it is used on."""
    from procmap.web.server import HERE

    css = (HERE / "static" / "procmap.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    texts = [var[k] for k in ("ink", "muted", "blue", "good", "worse")] + ["#7a4a00"]
    backgrounds = [var["paper"], var["wash"], "#e6eef6", "#eef6f0", "#fdeceb", "#fff7e0"]
    for text in texts:
        for background in backgrounds:
            hi, lo = sorted((_luminance(text), _luminance(background)), reverse=True)
            assert (hi + 0.05) / (lo + 0.05) >= 4.5, (text, background)
    hi, lo = sorted((_luminance("#ffffff"), _luminance(var["blue"])), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5  # white on the blue buttons and the total figure


def test_every_option_is_a_control_of_the_page(url):
    """The form is made from the options' flags: an option added to CompareOptions shows up by itself."""
    from procmap.benefits.options import BenefitOptions
    from procmap.options import CompareOptions, Look, Paper, flags

    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=stage_files(), data={"lang": "en"}).text
    for cls in (CompareOptions, Look, Paper, BenefitOptions):
        for _, flag, _ in flags(cls):
            if flag.name == "stages":
                assert 'name="stage:0"' in page and 'name="stage:2"' in page
            elif flag.name == "rates":
                assert 'name="rates:Saksbehandler"' in page
            elif flag.repeatable:
                assert f'name="add:{flag.name}"' in page
            else:
                assert f'name="{flag.name}"' in page, flag.name
            assert len(re.findall(rf'<label for="f-{re.escape(flag.name)}"', page)) <= 1


def _alert(page: str) -> list[str]:
    found = re.search(r'<div class="messages" role="alert">(.*?)</div>', page, re.S)
    return [unescape(m) for m in re.findall(r"<li>([^<]*)</li>", found[1])] if found else []


def _box(page: str, id_: str) -> str:
    found = re.search(rf'<input id="{id_}"[^>]*>', page)
    return unescape(found[0]) if found else ""


def _total_hours(page: str) -> str:
    return re.findall(r'data-col="hours">([^<]*)<', page)[-1]


@pytest.mark.parametrize("lang, field, box, typed, said", [
    ("nb", "cases", "f-cases", "abc", "Saker per år: «abc» er ikke et tall."),
    ("nb", "cases", "f-cases", "1.000", "Saker per år: «1.000» kan leses både som 1000 og som 1. Skriv 1000 eller 1."),
    ("nb", "rates:Arkiv", "rate-2", "12,500", "Timesats for Arkiv: «12,500» kan leses både som 12500 og som 12,5. "
                                              "Skriv 12500 eller 12,5."),
    ("en", "cases", "f-cases", "1,000", "Cases per year: '1,000' can be read as 1000 or as 1. Write 1000 or 1."),
    ("en", "simulations", "f-simulations", "many", "Draws of the uncertainty estimate: 'many' is not a whole number."),
])
def test_a_number_the_page_cannot_read_stays_in_its_box_and_the_results_stay(url, lang, field, box, typed, said):
    """Named by the field's label in the page's language; the earlier results are kept until it is fixed."""
    with httpx.Client(base_url=url, timeout=60) as client:
        before = client.post("/update", files=stage_files(), data={"lang": lang, "cases": "1000"}).text
        page = client.post("/update", data={"lang": lang, "cases": "1000", field: typed}).text
        assert _alert(page) == [said]
        assert f'value="{typed}"' in _box(page, box) and 'aria-invalid="true"' in _box(page, box)
        assert _total_hours(page) == _total_hours(before)
        again = client.get("/").text  # the page shown again still has it, as typed
        assert f'value="{typed}"' in _box(again, box) and _alert(again) == [said]
        fixed = client.post("/update", data={"lang": lang, "cases": "2000"}).text
        assert _alert(fixed) == [] and "aria-invalid" not in fixed
        assert _total_hours(fixed) != _total_hours(before)


def _menus(page: str) -> dict[str, list[str]]:
    """Each menu of the page by its field's name, with the labels of its choices."""
    return {name: [unescape(label).strip() for label in re.findall(r"<option[^>]*>([^<]*)<", body)]
            for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', page, re.S)}


@pytest.mark.parametrize("lang, auto", [("nb", "velg det som gir størst tekst"),
                                        ("en", "whichever prints the names largest")])
def test_every_menu_labels_its_own_choices(url, lang, auto):
    """A value two options share (auto) is labelled for each: no menu shows a label of another option."""
    from procmap.benefits.options import BenefitOptions
    from procmap.options import CompareOptions, Look, Paper
    from procmap.web.forms import form_fields
    from procmap.words import words

    fields = [f for cls in (CompareOptions, Look, Paper, BenefitOptions) for f in form_fields(cls)]
    choice = {f.name for f in fields if f.kind == "choice"}
    with httpx.Client(base_url=url, timeout=60) as client:
        menus = {name: labels for name, labels in _menus(client.post("/update", files=stage_files(),
                                                                      data={"lang": lang}).text).items()
                 if name in choice}
    assert set(menus) == choice
    owner: dict[str, str] = {}
    for name, labels in menus.items():
        assert len(set(labels)) == len(labels), name
        for label in labels:
            assert owner.setdefault(label, name) == name, f"{name} shows «{label}», a label of {owner[label]}"
    assert menus["orientation"][0] == auto
    labelled = words(lang)["web"]["choice"]  # each menu has its own labels, none falls back to the bare value
    assert all(set(labelled[f.name]) == set(f.choices) for f in fields if f.kind == "choice")


def test_a_change_of_kind_is_set_apart_from_the_task_s_name(url):
    """«Motta søknaden: for hånd → på skjerm», never «Motta søknaden for hånd → på skjerm»."""
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=stage_files(), data={"lang": "nb"}).text
    rows = re.findall(r'<li class="kind_changed">(.*?)</li>', page, re.S)
    assert rows
    for row in rows:
        assert re.fullmatch(r'⚙ [^<]+: <span class="extra">[^<]+ → [^<]+</span>', row), row
    assert '⚙ Motta søknaden: <span class="extra">for hånd → på skjerm</span>' in rows


def test_an_efforts_table_uploaded_on_the_page_changes_the_minutes(url):
    efforts = (SAMPLE / "efforts.csv").read_bytes()
    with httpx.Client(base_url=url, timeout=60) as client:
        plain = client.post("/update", files=stage_files(), data={"lang": "en"}).text
        table = client.post("/update", files=[("efforts", ("efforts.csv", efforts, "text/csv"))],
                            data={"lang": "en"}).text
        assert "Chosen: efforts.csv" in table
        cli = json.loads(cli_json(*[p.name for p in STAGES], "--efforts", "efforts.csv"))
        total = cli["stages"][0]["minutes"]
        row = re.search(r'<tr class="total" data-role="All roles">(.*?)</tr>', table, re.S).group(1)
        assert f">{total:g}<" in row.replace(",", "")
        assert row != re.search(r'<tr class="total" data-role="All roles">(.*?)</tr>', plain, re.S).group(1)
        removed = client.post("/update", data={"lang": "en", "action": "untable:efforts"}).text
        assert "Chosen: efforts.csv" not in removed


def test_a_download_without_a_comparison_is_a_page_for_people_and_json_for_programs(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/download/poster.pdf", headers={"Accept": "text/html"})
        assert page.status_code == 409 and "choose at least two stages first" in page.text
        assert 'href="/"' in page.text
        program = client.get("/download/poster.pdf")
        assert program.status_code == 409 and program.json()["detail"] == "choose at least two stages first"
        assert client.get("/download/secrets.txt").status_code == 404


def test_the_openapi_description_lists_the_options(url):
    schema = httpx.get(f"{url}/openapi.json", timeout=30).json()
    form = schema["paths"]["/api/compare"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"files", "cases", "rate", "rates", "alias", "stages", "lang"} <= set(form["properties"])
    assert form["properties"]["alias"]["type"] == "array"
    assert form["properties"]["rates"]["format"] == "binary"


def test_serve_prints_its_address_serves_and_stops_on_ctrl_c():
    import os
    import signal

    env = dict(os.environ, PYTHONPATH=str(SAMPLE.parent.parent))
    proc = subprocess.Popen([sys.executable, "-m", "procmap", "serve", "--no-browser", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stderr.readline()
        address = re.search(r"procmap serves (http://127\.0\.0\.1:\d+/)", line)
        assert address, line
        assert httpx.get(address.group(1), timeout=30).status_code == 200
        busy = subprocess.run([sys.executable, "-m", "procmap", "serve", "--no-browser", "--port",
                               address.group(1).rsplit(":", 1)[1].strip("/")], capture_output=True, text=True,
                              env=env, timeout=60)
        assert busy.returncode == 1 and busy.stderr.startswith("procmap: cannot listen on 127.0.0.1:")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err


def test_the_benefit_plan_takes_owners_and_types_from_the_page(url):
    owners = "role,owner\nSaksbehandler,Kari Nordmann\n".encode("utf-8")
    with httpx.Client(base_url=url, timeout=120) as client:
        client.post("/update", files=[*stage_files(), ("owners", ("eiere.csv", owners, "text/csv"))],
                    data={"lang": "en", "cases": "1000", "rate": "700"})
        page = client.post("/update", data={"lang": "en", "cases": "1000", "rate": "700",
                                            "add:type": "Arkiv=budget_reduction"}).text
        assert "Chosen: eiere.csv" in page and 'name="type" value="Arkiv=budget_reduction"' in page
        plan = client.get("/download/plan.html").text
        assert "Kari Nordmann" in plan
        bad = client.post("/update", data={"lang": "en", "type": "Arkiv=budget_reduction", "add:type": "Arkiv=lots"})
        assert "unknown type" in unescape(bad.text)


def test_a_user_whose_work_was_forgotten_is_told_so():
    with running(Limits(max_sessions=1)) as address:
        with httpx.Client(base_url=address, timeout=60) as first, httpx.Client(base_url=address, timeout=60) as other:
            first.post("/update", files=stage_files(), data={"lang": "en"})
            other.get("/")  # one session at most: the first user's is forgotten
            page = first.post("/update", data={"lang": "en", "cases": "10"}).text
    assert "its files are forgotten: choose the stages again" in page
    assert 'id="result"' not in page


def test_element_ids_of_a_model_cannot_take_the_page_over(url):
    bpmn = STAGES[0].read_text(encoding="utf-8")
    assert bpmn.count("hent_skjema") >= 3
    hostile = re.sub(r"\bhent_skjema\b", "workspace", bpmn).encode("utf-8")  # the task, its flows, its shape
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.post("/update", files=[("files", (STAGES[0].name, hostile, "text/xml")),
                                             *stage_files(STAGES[1:])]).text
    assert 'id="result"' in page
    assert 'data-node-id="workspace"' in page  # the task is drawn, and no id of the model is the page's
    assert not re.search(r'\sid="workspace"', page)


def test_a_picture_s_ids_are_kept_apart_from_the_page_s():
    from procmap.web.view import _svg

    svg = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="10">'
           '<defs><marker id="workspace"/></defs><path marker-end="url(#workspace)"/><use href="#workspace"/></svg>')
    shown = _svg(svg, "Trinnene", "lanes")
    assert shown.startswith('<svg role="img" aria-label="Trinnene" style="--readable: 600px" ')
    assert 'id="lanes-workspace"' in shown and "url(#lanes-workspace)" in shown and 'href="#lanes-workspace"' in shown
    assert not re.search(r'\sid="workspace"', shown)


def test_a_bad_table_upload_is_named_with_its_line(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/compare", files=[*stage_files(), ("rates", ("satser.csv", "role,rate\nArkiv,mye\n"
                                                                              .encode("utf-8"), "text/csv"))],
                             data={"cases": "1000"})
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("satser.csv:2: rate 'mye' is not a number")
