"""procmap.words: one table of fixed texts per language, one number formatter."""

from __future__ import annotations

import string
from collections.abc import Mapping

import pytest

import procmap.render
import procmap.render.theme
import procmap.views.cards
import procmap.views.terminal
from procmap.words import EN, LANGS, NB, check_lang, how_done, minutes, number, stage_label, words


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
