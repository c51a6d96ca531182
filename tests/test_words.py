"""procmap.words: one table of fixed texts per language, one number formatter."""

from __future__ import annotations

import string
from collections.abc import Mapping

import pytest

import procmap.render
import procmap.render.theme
import procmap.views.cards
import procmap.views.terminal
from procmap.words import (EN, LANGS, NB, check_lang, how_done, minutes, number, percent, read_number, stage_label,
                           words)


def _leaves(table: Mapping, path: tuple = ()) -> dict[tuple, object]:
    out = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_leaves(value, path + (key,)))
        else:
            out[path + (key,)] = value
    return out


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_nb_and_en_have_the_same_keys():
    assert set(_leaves(NB)) == set(_leaves(EN))
    assert LANGS == ("en", "nb")


def test_every_nb_placeholder_is_in_the_en_twin():
    en = _leaves(EN)
    for path, text in _leaves(NB).items():
        assert _placeholders(str(text)) <= _placeholders(str(en[path])), path


def test_words_cannot_be_changed():
    table = words("nb")
    with pytest.raises(TypeError):
        table["picture"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        table["picture"]["title"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        table["terminal"]["kinds"]["kept"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        procmap.render.TEXTS["nb"]["title"] = "x"  # type: ignore[index]
    assert procmap.render.TEXTS["nb"]["title"] == words("nb")["picture"]["title"]
    assert procmap.render.LANGS == LANGS


def test_unknown_language_is_one_message():
    with pytest.raises(ValueError, match=r"^--lang must be one of en, nb, not 'xx'$"):
        check_lang("xx")
    with pytest.raises(ValueError, match=r"^--lang must be one of en, nb, not 'xx'$"):
        words("xx")
    assert check_lang("nb") == "nb"


def test_one_number_format():
    assert number(1234567.5, "nb", 1) == "1\u00a0234\u00a0567,5"
    assert number(1234567.5, "en", 1) == "1,234,567.5"
    assert number(1234567.5, "nb") == "1\u00a0234\u00a0568"
    assert number(-1234, "en") == "−1,234"
    assert number(None, "nb") == "–"
    assert minutes(12.0, "nb") == "12" and minutes(12.5, "nb") == "12,5" and minutes(12.5, "en") == "12.5"


def test_a_share_is_rounded_once_half_away_from_zero():
    """As a spreadsheet's 0% format shows it: 0.385 is 39 %, 0.7749 is 77 % (not 0.775, then 78 %)."""
    assert [percent(v, "nb") for v in (0.7749, 0.385, 0.3853, 1.0, 12.345, -0.385)] == [
        "77 %", "39 %", "39 %", "100 %", "1\u00a0235 %", "−39 %"]
    assert percent(None, "en") == "–"


def test_stage_and_kind_words():
    assert stage_label("integrated", "nb") == "Integrert" and stage_label("fase 2", "nb") == "Fase 2"
    assert stage_label("e-form", "en") == "E-form"
    assert how_done("serviceTask", "nb") == "automatisk" and how_done("userTask", "en") == "on screen"
    assert how_done(None, "en") == "as a task"


def test_the_former_tables_are_gone():
    assert not hasattr(procmap.views.cards, "TEXTS")
    assert not hasattr(procmap.views.terminal, "_TEXT") and not hasattr(procmap.views.terminal, "LANGS")
    for name in ("TEXTS", "LANGS", "texts", "fmt_number", "fmt_minutes", "KIND_WORDS", "STAGE_WORDS"):
        assert not hasattr(procmap.render.theme, name), name


def test_words_is_import_light():
    import ast
    import inspect

    import procmap.words

    tree = ast.parse(inspect.getsource(procmap.words))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module}
    assert not imported & {"pandas", "numpy", "rich", "lxml"}


@pytest.mark.parametrize("text,value", [
    ("1000", 1000), ("1 000", 1000), ("1\u00a0000", 1000), ("1000,5", 1000.5), ("1000.5", 1000.5),
    ("1.000.000", 1e6), ("1,000,000", 1e6), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234,50", 1234.5),
    ("−2,5", -2.5), ("-3", -3), ("0,125", 0.125), ("0.125", 0.125), ("2,50", 2.5), (",5", 0.5)])
def test_numbers_are_read_as_people_write_them(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize("text", ["1.000", "12,500", "-1.000", "999.999"])
def test_a_lone_group_of_three_is_refused_not_guessed(text):
    with pytest.raises(ValueError, match="can be read as"):
        read_number(text)


@pytest.mark.parametrize("text", ["abc", "", "1.2.3", "1,2,3", "1,00.0", "1.000,00,0"])
def test_what_is_no_number_says_so(text):
    with pytest.raises(ValueError, match="is not a number"):
        read_number(text)


def test_every_way_in_reads_cases_and_rates_alike(tmp_path):
    """The command line, the library, a rates table and the web form read 1 000 and refuse 1.000."""
    import procmap
    from procmap.compare.inputs import load_rates
    from procmap.errors import CompareError, OptionError
    from procmap.web.forms import options_from_form

    assert procmap.CompareOptions(cases_per_year="1 000", rate="1250,50").cases_per_year == 1000
    with pytest.raises(OptionError, match="'1.000' can be read as 1000 or as 1"):
        procmap.CompareOptions(cases_per_year="1.000")
    form = options_from_form(procmap.CompareOptions, {"cases": ["10 000"], "rate": ["1 250,5"]})
    assert (form.cases_per_year, form.rate) == (10000, 1250.5)
    with pytest.raises(OptionError, match="can be read as"):
        options_from_form(procmap.CompareOptions, {"rate": ["1.250"]})
    table = tmp_path / "rates.csv"
    table.write_text("role,rate\nSaksbehandler,1.250\n", encoding="utf-8")
    with pytest.raises(CompareError, match="can be read as 1250 or as 1.25"):
        load_rates(table)
