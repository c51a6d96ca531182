"""Every fixed text procmap shows, in Norwegian bokmål (``nb``) and English (``en``), and how numbers are written.

One table per language, in sections: ``picture`` (diagrams, charts, poster, report), ``card``
(a role's routine card), ``terminal`` (tables and sentences at a terminal), ``portfolio`` (the
ranking of many services), ``kind`` (how a task
is done) and ``stage_name`` (procmap's recommended stage names). The tables are read-only;
:func:`words` gives one language's table, :func:`check_lang` is the one check of a language
name, :func:`number` and :func:`minutes` the one way numbers are written.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Optional

from procmap.model.kinds import AUTOMATED_TYPES

Table = Mapping[str, Mapping[str, object]]


def _frozen(table: Mapping[str, object]) -> MappingProxyType:
    """A read-only copy of a nested dict: every dict in it becomes a MappingProxyType."""
    return MappingProxyType({k: _frozen(v) if isinstance(v, Mapping) else v for k, v in table.items()})


NB: Table = _frozen({
    "picture": {
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
    "card": {
        "title": "{role}: rutinen", "stage": "Trinn", "service": "Tjeneste", "steps": "Dette gjør jeg",
        "from": "får saken fra {who}", "to": "sender den videre til {who}", "either": "enten/eller ved «{gw}»",
        "when": "når «{cond}»", "parallel": "samtidig med {other}", "loop": "kan komme tilbake hit fra «{src}»",
        "automated": "automatisk", "min": "{m} min", "no_steps": "Ingen oppgaver i dette trinnet.",
        "against": "Sammenlignet med {stage}", "removed": "Gjøres ikke lenger", "added": "Nytt",
        "moved_in": "Overtatt", "moved_out": "Gjøres nå av andre", "kind": "Gjøres på en annen måte",
        "moved_to": "gjøres nå av {role}", "moved_from": "fra {role}", "now_kind": "nå {now} (før {was})",
        "saved": "Minutter per sak: {before} → {after} ({delta})", "per_case": "Minutter per sak: {m}",
        "unknown_minutes": "mangler tidsanslag for {n} steg", "nothing": "Ingen endring.",
        "machine": "alle stegene her er automatiske: ingen gjør dem for hånd",
        "quoted": "«{}»", "new_automated": "Nye automatiske steg i dette trinnet: {names}", "saves": "sparer {m} min",
        "costs": "koster {m} min mer", "and": " og ",
    },
    "terminal": {
        "title": "{name}: {n} trinn sammenlignet rolle for rolle",
        "tasks": "Oppgaver per rolle (automatiserte steg i parentes)",
        "minutes": "Minutter arbeid per sak",
        "handoffs": "Overleveringer inn / ut (flyt mellom roller)",
        "hours": "Timer og kostnad per år ({cases} saker)",
        "savings": "Spart per år, {cases} saker (positivt = mindre arbeid)",
        "savings_case": "Sparte minutter per sak (positivt = mindre arbeid)",
        "changes": "Endrede oppgaver, {a} → {b}",
        "summary": "Sammendrag",
        "warnings": "Advarsler",
        "role": "Rolle", "change": "Endring", "task": "Oppgave", "detail": "Detaljer", "all": "Alle roller",
        "delta": "{a} → {b}",
        "kept_n": "{n} oppgave(r) uendret",
        "kinds": {"kept": "beholdt", "renamed": "nytt navn", "removed": "fjernet", "added": "ny",
                  "moved": "flyttet", "kind_changed": "ny type"},
        "moved_to": "flyttet til {role}",
        "similar": "lignende navn ({score:.0%})",
        "no_changes": "ingen oppgaver i disse trinnene",
        "hours_unit": "t", "fte_unit": "årsverk", "min_unit": "min",
        "range": "P10–P90 {low}–{high} t",
        "counts_only": "Ingen oppgave har minutter: sammenligningen teller bare oppgaver.",
        "line_tasks": "{role}: {path} oppgaver",
        "gone": "borte i {stage}",
        "new": "ny i {stage}",
        "automated": "{n} automatisert",
        "saves_hours": "sparer {hours} timer{money} i året{fte}", "fte": " ({fte} årsverk)",
        "adds_hours": "gir {hours} timer{money} mer i året{fte}",
        "money": " og {money} {cur}",
        "saves_minutes": "sparer {m} minutter per sak",
        "adds_minutes": "gir {m} minutter mer per sak",
        "same_work": "like mye arbeid",
        "likely": "P10–P90 {low} til {high} timer med lav/høy-anslagene",
        "total": "Totalt",
        "without_rate": "ingen sats",
        "partial": "* noen oppgaver i rollen mangler minutter og er utelatt (se advarslene)",
    },
    "portfolio": {
        "title": "Portefølje: {n} tjenester rangert etter arbeidstiden de frigjør",
        "progress": "Sammenligner tjenestene",
        "rank": "Nr.", "service": "Tjeneste", "stages": "Trinn", "tasks": "Oppgaver",
        "hours": "Timer i året", "range": "P10–P90", "fte": "Årsverk", "money": "{cur} i året",
        "minutes": "Min per sak", "cases": "Saker i året",
        "roles_title": "Per rolle, på tvers av tjenestene", "role": "Rolle", "services": "Tjenester",
        "role_fte": "{role}: {fte} årsverk frigjort på tvers av {n} tjenester",
        "role_hours": "{role}: {hours} timer i året frigjort på tvers av {n} tjenester",
        "role_one": "{role}: {fte} årsverk frigjort i {n} tjeneste",
        "role_one_hours": "{role}: {hours} timer i året frigjort i {n} tjeneste",
        "role_more": "{role}: {fte} årsverk mer arbeid på tvers av {n} tjenester",
        "role_more_hours": "{role}: {hours} timer mer arbeid i året på tvers av {n} tjenester",
        "failed_count": "Tjenester som ikke kunne sammenlignes: {n} (grunnene står i feilutskriften).",
        "total": "Hele porteføljen: {hours} timer i året frigjort ({fte} årsverk) av {n} tjenester",
        "total_hours": "Hele porteføljen: {hours} timer i året frigjort av {n} tjenester",
        "no_cases": "Ingen saker per år er oppgitt: rangert etter minutter spart per sak "
                    "(bruk --cases, eller kolonnen cases_per_year i manifestet).",
        "failed_title": "Kunne ikke sammenlignes: {n}",
        "cached": "{n} av {m} tjenester hentet fra hurtiglageret ({dir}).",
        "shown": "Viser de {n} første av {m} tjenester (--top).",
        "chart_services": "Timer frigjort i året per tjeneste",
        "chart_services_minutes": "Minutter spart per sak per tjeneste",
        "chart_top": "de {n} som frigjør mest",
        "chart_rest": "… og {n} tjenester til: {hours} timer i året",
        "chart_rest_minutes": "… og {n} tjenester til",
        "chart_range": "Streken viser P10–P90: 8 av 10 trekk med lav/høy-anslagene ligger innenfor.",
        "chart_roles": "Årsverk frigjort per rolle, alle tjenestene",
        "chart_roles_hours": "Timer i året frigjort per rolle, alle tjenestene",
        "report_title": "Portefølje",
        "report_sub": "{n} tjenester sammenlignet trinn for trinn, rangert etter arbeidstiden de frigjør",
        "report_ranking": "Rangering", "report_chart": "Frigjort tid per tjeneste", "report_roles": "Per rolle",
        "report_services": "Tjenestene", "report_failed": "Ikke sammenlignet", "files": "Filer",
        "warnings": "Merknader ({n})", "back": "↑ til rangeringen", "steps": "Trinn for trinn",
        "reason": "Årsak", "figures_first_last": "Første → siste trinn",
        "more_warnings": "… og {n} merknader til",
    },
    "kind": {"manualTask": "for hånd", "userTask": "på skjerm", "task": "som oppgave", "auto": "automatisk"},
    "stage_name": {"manual": "Manuell", "e-form": "E-skjema", "integrated": "Integrert"},
})


EN: Table = _frozen({
    "picture": {
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
    "card": {
        "title": "{role}: the routine", "stage": "Stage", "service": "Service", "steps": "What I do",
        "from": "gets the case from {who}", "to": "passes it to {who}", "either": "either/or at “{gw}”",
        "when": "when “{cond}”", "parallel": "at the same time as {other}", "loop": "may come back here from “{src}”",
        "automated": "automated", "min": "{m} min", "no_steps": "No tasks in this stage.",
        "against": "Compared with {stage}", "removed": "No longer done", "added": "New", "moved_in": "Taken over",
        "moved_out": "Now done by others", "kind": "Done another way",
        "moved_to": "now done by {role}", "moved_from": "from {role}", "now_kind": "now {now} (was {was})",
        "saved": "Minutes per case: {before} → {after} ({delta})", "per_case": "Minutes per case: {m}",
        "unknown_minutes": "no time estimate for {n} step(s)", "nothing": "No change.",
        "machine": "every step here is automated: nobody does it by hand",
        "quoted": "“{}”", "new_automated": "New automated steps in this stage: {names}", "saves": "saves {m} min",
        "costs": "adds {m} min", "and": " and ",
    },
    "terminal": {
        "title": "{name}: {n} stages compared role by role",
        "tasks": "Tasks per role (automated steps in brackets)",
        "minutes": "Minutes of work per case",
        "handoffs": "Handoffs in / out (flows between roles)",
        "hours": "Hours and cost per year ({cases} cases)",
        "savings": "Saved per year, {cases} cases (positive = less work)",
        "savings_case": "Saved minutes per case (positive = less work)",
        "changes": "Task changes, {a} → {b}",
        "summary": "Summary",
        "warnings": "Warnings",
        "role": "Role", "change": "Change", "task": "Task", "detail": "Detail", "all": "All roles",
        "delta": "{a} → {b}",
        "kept_n": "{n} task(s) unchanged",
        "kinds": {"kept": "kept", "renamed": "renamed", "removed": "removed", "added": "added", "moved": "moved",
                  "kind_changed": "kind changed"},
        "moved_to": "moved to {role}",
        "similar": "similar name ({score:.0%})",
        "no_changes": "no tasks in these stages",
        "hours_unit": "h", "fte_unit": "FTE", "min_unit": "min",
        "range": "P10–P90 {low}–{high} h",
        "counts_only": "No task has minutes: the comparison counts tasks only.",
        "line_tasks": "{role}: {path} tasks",
        "gone": "gone in {stage}",
        "new": "new in {stage}",
        "automated": "{n} automated",
        "saves_hours": "saves {hours} hours{money} a year{fte}", "fte": " ({fte} FTE)",
        "adds_hours": "adds {hours} hours{money} a year{fte}",
        "money": " and {money} {cur}",
        "saves_minutes": "saves {m} minutes per case",
        "adds_minutes": "adds {m} minutes per case",
        "same_work": "the same amount of work",
        "likely": "P10–P90 {low} to {high} hours with the low/high ranges",
        "total": "In total",
        "without_rate": "no rate",
        "partial": "* some tasks of the role have no minutes and are left out (see the warnings)",
    },
    "portfolio": {
        "title": "Portfolio: {n} services ranked by the working time they free",
        "progress": "Comparing the services",
        "rank": "Rank", "service": "Service", "stages": "Stages", "tasks": "Tasks",
        "hours": "Hours a year", "range": "P10–P90", "fte": "FTE", "money": "{cur} a year",
        "minutes": "Min per case", "cases": "Cases a year",
        "roles_title": "Per role, across the services", "role": "Role", "services": "Services",
        "role_fte": "{role}: {fte} FTE freed across {n} services",
        "role_hours": "{role}: {hours} hours a year freed across {n} services",
        "role_one": "{role}: {fte} FTE freed in {n} service",
        "role_one_hours": "{role}: {hours} hours a year freed in {n} service",
        "role_more": "{role}: {fte} FTE more work across {n} services",
        "role_more_hours": "{role}: {hours} more hours of work a year across {n} services",
        "failed_count": "Services that could not be compared: {n} (the reasons are on standard error).",
        "total": "The whole portfolio: {hours} hours a year freed ({fte} FTE) by {n} services",
        "total_hours": "The whole portfolio: {hours} hours a year freed by {n} services",
        "no_cases": "No cases per year given: ranked by minutes saved per case "
                    "(use --cases, or the column cases_per_year in the manifest).",
        "failed_title": "Could not be compared: {n}",
        "cached": "{n} of {m} services taken from the cache ({dir}).",
        "shown": "Showing the first {n} of {m} services (--top).",
        "chart_services": "Hours freed a year per service",
        "chart_services_minutes": "Minutes saved per case per service",
        "chart_top": "the {n} that free the most",
        "chart_rest": "… and {n} more services: {hours} hours a year",
        "chart_rest_minutes": "… and {n} more services",
        "chart_range": "The line shows P10–P90: 8 in 10 draws with the low/high estimates fall inside it.",
        "chart_roles": "FTE freed per role, all services",
        "chart_roles_hours": "Hours a year freed per role, all services",
        "report_title": "Portfolio",
        "report_sub": "{n} services compared stage by stage, ranked by the working time they free",
        "report_ranking": "Ranking", "report_chart": "Time freed per service", "report_roles": "Per role",
        "report_services": "The services", "report_failed": "Not compared", "files": "Files",
        "warnings": "Notes ({n})", "back": "↑ back to the ranking", "steps": "Stage by stage",
        "reason": "Reason", "figures_first_last": "First → last stage",
        "more_warnings": "… and {n} more notes",
    },
    "kind": {"manualTask": "by hand", "userTask": "on screen", "task": "as a task", "auto": "automated"},
    "stage_name": {"manual": "Manual", "e-form": "E-form", "integrated": "Integrated"},
})

LANGS: tuple[str, ...] = ("en", "nb")
_TABLES: Mapping[str, Table] = MappingProxyType({"en": EN, "nb": NB})


def check_lang(lang: str) -> str:
    """`lang` if procmap speaks it; else ValueError, with the same message everywhere."""
    if lang not in _TABLES:
        raise ValueError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def words(lang: str) -> Table:
    """All fixed texts in `lang`, read-only: words("nb")["picture"]["title"]."""
    return _TABLES[check_lang(lang)]


def number(value: Optional[float], lang: str, decimals: int = 0) -> str:
    """1 234 567,5 (nb: a no-break space between thousands, decimal comma) or 1,234,567.5 (en);
    a minus sign (−) for negative numbers and '–' for no value. The no-break space keeps a number
    on one line where a picture's text is wrapped."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return "−" + text[1:] if text.startswith("-") else text


def minutes(value: Optional[float], lang: str) -> str:
    """Minutes: whole ones as 12, others with one decimal (12,5 in nb)."""
    if value is None:
        return "–"
    return number(value, lang, 0 if abs(value - round(value)) < 0.05 else 1)


def how_done(bpmn_type: Optional[str], lang: str = "en") -> str:
    """'by hand', 'on screen', 'automated' (or 'as a task' for a plain BPMN task), in `lang`."""
    kind = words(lang)["kind"]
    if bpmn_type in AUTOMATED_TYPES:
        return str(kind["auto"])
    return str(kind.get(bpmn_type or "task", kind["task"]))


def stage_label(name: str, lang: str = "en") -> str:
    """A stage name for display: procmap's own stage words in the reader's language
    ("integrated" -> "Integrert" in Norwegian), any other name with its first letter
    upper case ("e-form" -> "E-form", "fase 2" -> "Fase 2")."""
    if not name:
        return name
    own = words(lang)["stage_name"].get(name.strip().casefold())
    return str(own) if own else name[:1].upper() + name[1:]
