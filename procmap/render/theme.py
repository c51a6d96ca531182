"""Colours (themes as plain dicts) and the fixed texts of the pictures in each language."""

from __future__ import annotations

from typing import Mapping, Optional, Union

from procmap.model.elements import AUTOMATED_TYPES

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

DEFAULT_THEME: dict[str, object] = {
    "font": FONT,
    "background": "#ffffff",
    "ink": "#1f2933",
    "muted": "#616e7c",
    "faint": "#9aa5b1",
    "pool_fill": "#e4e9f0",
    "pool_stroke": "#52606d",
    "lane_fill": "#ffffff",
    "lane_fill_alt": "#f3f6fa",
    "lane_stroke": "#9aa5b1",
    "header_fill": "#e4e9f0",
    "absent_fill": "#eceef1",
    "absent_ink": "#8a96a3",
    "task_fill": "#fffaf0",
    "task_stroke": "#3e4c59",
    "automated_fill": "#e1effe",
    "automated_stroke": "#1c64b5",
    "event_fill": "#ffffff",
    "event_stroke": "#3e4c59",
    "gateway_fill": "#fffaf0",
    "flow": "#52606d",
    "message": "#7b8794",
    "removed_fill": "#ffe0e0",
    "removed_stroke": "#c62828",
    "added_fill": "#dcf5e3",
    "added_stroke": "#18794e",
    "moved_fill": "#fff0df",
    "moved_stroke": "#c2570c",
    "accent": "#1c4f8f",
    "saving": "#18794e",
    "loss": "#c62828",
    "title": "#102a43",
    "card_fill": "#f3f6fa",
    # One colour per stage, earliest first (charts, stage headers); repeated when there are more stages.
    "stages": ["#9aa5b1", "#e8a33d", "#2f7dd1", "#27ab83", "#8d5cd6", "#d64545"],
}

MONO_THEME: dict[str, object] = {
    **DEFAULT_THEME,
    "task_fill": "#ffffff",
    "automated_fill": "#eeeeee",
    "automated_stroke": "#333333",
    "removed_fill": "#dddddd",
    "removed_stroke": "#000000",
    "added_fill": "#ffffff",
    "added_stroke": "#000000",
    "moved_fill": "#f4f4f4",
    "moved_stroke": "#444444",
    "accent": "#000000",
    "saving": "#000000",
    "loss": "#555555",
    "stages": ["#cccccc", "#999999", "#555555", "#222222"],
}

THEMES: dict[str, dict[str, object]] = {"default": DEFAULT_THEME, "mono": MONO_THEME}

Theme = Union[None, str, Mapping[str, object]]


def resolve_theme(theme: Theme) -> dict[str, object]:
    """A full theme: a theme name, or a dict of colours that override the default ones."""
    if theme is None:
        return dict(DEFAULT_THEME)
    if isinstance(theme, str):
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; use one of {', '.join(sorted(THEMES))} or a dict of colours")
        return dict(THEMES[theme])
    if not isinstance(theme, Mapping):
        raise ValueError("theme must be a theme name or a dict of colours")
    unknown = sorted(set(theme) - set(DEFAULT_THEME))
    if unknown:
        raise ValueError(f"unknown theme keys: {', '.join(unknown)}; known: {', '.join(sorted(DEFAULT_THEME))}")
    merged = dict(DEFAULT_THEME)
    merged.update(theme)
    stages = merged["stages"]
    if not isinstance(stages, (list, tuple)) or not stages:
        raise ValueError("theme['stages'] must be a non-empty list of colours")
    return merged


def stage_colour(theme: Mapping[str, object], index: int) -> str:
    stages = theme["stages"]
    return str(stages[index % len(stages)])  # type: ignore[index,arg-type]


TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Veien til en enklere hverdag",
        "task": "oppgave",
        "tasks": "oppgaver",
        "n_tasks": "{n} oppgaver",
        "n_task": "{n} oppgave",
        "automated": "automatisert",
        "n_automated": "{n} automatisert",
        "minutes_per_case": "{m} min per sak",
        "not_in_stage": "ikke med i dette trinnet",
        "unassigned": "(uten rolle)",
        "legend_task": "Oppgave",
        "legend_automated": "Automatisert oppgave",
        "legend_removed": "Forsvinner i neste trinn",
        "legend_added": "Ny i dette trinnet",
        "legend_moved": "Flyttes til en annen rolle",
        "legend_moved_in": "Flyttet hit fra en annen rolle",
        "legend_absent": "Rollen er ikke med",
        "new_badge": "NY",
        "moved_to": "→ {role}",
        "moved_from": "fra {role}",
        "instead_of": "i stedet for {n}",
        "tasks_instead_of": "{n} oppgaver i stedet for {m}",
        "hours_saved": "{h} timer spart i året",
        "hours_more": "{h} timer mer i året",
        "minutes_saved": "{m} min spart per sak",
        "minutes_more": "{m} min mer per sak",
        "fte": "{f} årsverk",
        "money_saved": "{v} {cur} spart i året",
        "role_gone": "trengs ikke lenger",
        "role_gone_before": "hadde {n} oppgaver",
        "role_new": "ny rolle",
        "role_new_tasks": "{n} oppgaver, {a} automatisert",
        "total": "Alle roller",
        "chart_tasks": "Oppgaver per rolle",
        "chart_hours": "Timer i året per rolle",
        "chart_minutes": "Minutter per sak per rolle",
        "chart_saving_hours": "Timer spart i året, {a} → {b}",
        "chart_saving_tasks": "Færre oppgaver, {a} → {b}",
        "chart_saving_minutes": "Minutter spart per sak, {a} → {b}",
        "changes": "Dette endres",
        "gone": "Borte",
        "n_gone": "{n} borte",
        "n_new": "{n} nye",
        "n_moved": "{n} flyttet",
        "new": "Nytt",
        "moved": "Flyttet",
        "n_more": "… og {n} til",
        "summary_note": "{stage}: {n} oppgaver er for mange til å tegne lesbart; vist samlet, én boks per rolle.",
        "not_drawn": "{n} elementer uten plassering i tegningen er ikke tegnet.",
        "made_with": "Laget med procmap",
        "several_diagrams": "Deler av tegningen som lå oppå hverandre, er tegnet under hverandre.",
        "stage": "Trinn",
        "role": "Rolle",
        "stages": "Trinn",
        "manual": "manuelle",
        "minutes": "min per sak",
        "hours_year": "timer i året",
        "cost_year": "kostnad i året",
        "handoffs": "overleveringer",
        "saving": "Besparelse",
        "per_role": "per rolle",
        "report_title": "Sammenligning av trinn",
        "report_diagrams": "Flytskjemaene side om side",
        "report_charts": "Arbeid per rolle",
        "report_table": "Tall per trinn og rolle",
        "report_savings": "Besparelser",
        "report_changes": "Endringer per rolle",
        "report_warnings": "Merknader",
        "from_to": "{a} → {b}",
        "kept": "beholdt",
        "renamed": "nytt navn",
        "removed": "fjernet",
        "added": "ny",
        "kind_changed": "ny type",
        "unknown_minutes": "uten minutter",
        "cases": "{n} saker i året",
        "no_changes": "Ingen endringer.",
        "fte_short": "årsverk",
    },
    "en": {
        "title": "The road to a simpler day",
        "task": "task",
        "tasks": "tasks",
        "n_tasks": "{n} tasks",
        "n_task": "{n} task",
        "automated": "automated",
        "n_automated": "{n} automated",
        "minutes_per_case": "{m} min per case",
        "not_in_stage": "not in this stage",
        "unassigned": "(no role)",
        "legend_task": "Task",
        "legend_automated": "Automated task",
        "legend_removed": "Gone in the next stage",
        "legend_added": "New in this stage",
        "legend_moved": "Moves to another role",
        "legend_moved_in": "Moved here from another role",
        "legend_absent": "Role not in this stage",
        "new_badge": "NEW",
        "moved_to": "→ {role}",
        "moved_from": "from {role}",
        "instead_of": "instead of {n}",
        "tasks_instead_of": "{n} tasks instead of {m}",
        "hours_saved": "{h} hours a year saved",
        "hours_more": "{h} more hours a year",
        "minutes_saved": "{m} min saved per case",
        "minutes_more": "{m} min more per case",
        "fte": "{f} FTE",
        "money_saved": "{cur} {v} saved a year",
        "role_gone": "no longer needed",
        "role_gone_before": "had {n} tasks",
        "role_new": "new role",
        "role_new_tasks": "{n} tasks, {a} automated",
        "total": "All roles",
        "chart_tasks": "Tasks per role",
        "chart_hours": "Hours a year per role",
        "chart_minutes": "Minutes per case per role",
        "chart_saving_hours": "Hours a year saved, {a} → {b}",
        "chart_saving_tasks": "Fewer tasks, {a} → {b}",
        "chart_saving_minutes": "Minutes saved per case, {a} → {b}",
        "changes": "What changes",
        "gone": "Gone",
        "n_gone": "{n} gone",
        "n_new": "{n} new",
        "n_moved": "{n} moved",
        "new": "New",
        "moved": "Moved",
        "n_more": "… and {n} more",
        "summary_note": "{stage}: {n} tasks are too many to draw readably; shown summarised, one box per role.",
        "not_drawn": "{n} elements without a position in the diagram are not drawn.",
        "made_with": "Made with procmap",
        "several_diagrams": "Parts of the drawing that lay on top of each other are drawn one under the other.",
        "stage": "Stage",
        "role": "Role",
        "stages": "Stages",
        "manual": "manual",
        "minutes": "min per case",
        "hours_year": "hours a year",
        "cost_year": "cost a year",
        "handoffs": "handoffs",
        "saving": "Saving",
        "per_role": "per role",
        "report_title": "Stages compared",
        "report_diagrams": "The flowcharts side by side",
        "report_charts": "Work per role",
        "report_table": "Figures per stage and role",
        "report_savings": "Savings",
        "report_changes": "Changes per role",
        "report_warnings": "Notes",
        "from_to": "{a} → {b}",
        "kept": "kept",
        "renamed": "renamed",
        "removed": "removed",
        "added": "new",
        "kind_changed": "new kind",
        "unknown_minutes": "without minutes",
        "cases": "{n} cases a year",
        "no_changes": "No changes.",
        "fte_short": "FTE",
    },
}

LANGS = tuple(sorted(TEXTS))


def texts(lang: str) -> dict[str, str]:
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return TEXTS[lang]


def fmt_number(value: Optional[float], lang: str, decimals: int = 0) -> str:
    """1 234 (nb, with a no-break space) or 1,234 (en); decimals with a comma in nb."""
    if value is None:
        return "–"
    s = f"{value:,.{decimals}f}"
    if lang == "nb":
        s = s.replace(",", "\u00a0").replace(".", ",")
    if s.startswith("-"):
        s = "−" + s[1:]
    return s


def fmt_minutes(value: Optional[float], lang: str) -> str:
    if value is None:
        return "–"
    return fmt_number(value, lang, 0 if abs(value - round(value)) < 0.05 else 1)


#: How a task is done, in words a case handler uses, by BPMN type (automated types share one word).
KIND_WORDS: dict[str, dict[str, str]] = {
    "en": {"manualTask": "by hand", "userTask": "on screen", "task": "as a task", "auto": "automated"},
    "nb": {"manualTask": "for hånd", "userTask": "på skjerm", "task": "som oppgave", "auto": "automatisk"},
}


def how_done(bpmn_type: Optional[str], lang: str = "en") -> str:
    """'by hand', 'on screen', 'automated' (or 'as a task' for a plain BPMN task), in `lang`."""
    words = KIND_WORDS.get(lang, KIND_WORDS["en"])
    return words["auto"] if bpmn_type in AUTOMATED_TYPES else words.get(bpmn_type or "task", words["task"])


#: procmap's recommended stage names (BPMN-lite `stage`, `--stages`), said in the picture's language.
STAGE_WORDS: dict[str, dict[str, str]] = {
    "nb": {"manual": "Manuell", "e-form": "E-skjema", "integrated": "Integrert"},
}


def stage_label(name: str, lang: str = "en") -> str:
    """A stage name for display: procmap's own stage words in the reader's language
    ("integrated" -> "Integrert" in Norwegian), any other name with its first letter
    upper case ("e-form" -> "E-form", "fase 2" -> "Fase 2")."""
    if not name:
        return name
    return STAGE_WORDS.get(lang, {}).get(name.strip().casefold()) or name[:1].upper() + name[1:]
