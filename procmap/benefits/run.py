"""The use cases of benefit realisation, for the command line and the web page: make the plan from stage
files, write it (workbook, HTML, PDF, the map as a picture, JSON) and make the slides. Typed results;
nothing prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Optional, Sequence, Union

from procmap.app import Compared, compare_files
from procmap.benefits.options import BenefitOptions
from procmap.benefits.plan import BenefitPlan, make_plan
from procmap.bpmn.reader import Source
from procmap.errors import OptionError
from procmap.files import check_output, shown, write_atomic
from procmap.options import CompareOptions, Look, Reading

#: What ``-o`` can write, by the file name's suffix.
PLAN_FORMATS: Mapping[str, str] = MappingProxyType({
    ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".pdf": "pdf", ".svg": "map-svg", ".png": "map-png",
    ".json": "json", ".dot": "map-dot"})


@dataclass(frozen=True)
class Planned:
    """Stages compared and the benefit plan made from them, with what the side tables said."""

    compared: Compared
    plan: BenefitPlan
    warnings: list[str] = field(default_factory=list)  # about the owners and actuals tables


def _paths(items: Sequence[Any]) -> list[Path]:
    return [Path(p) for p in items if isinstance(p, (str, Path))]


def inputs_of(compared: Compared, options: BenefitOptions) -> list[Path]:
    """Every file the plan is made from: never to be written over."""
    return _paths([*compared.files, options.owners, options.actuals])


def plan_format(output: Union[str, Path]) -> str:
    fmt = PLAN_FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        raise OptionError(f"cannot write {shown(Path(output).name)!r}: the file name must end in .xlsx, .html, "
                          ".pdf (the plan), .svg or .png (the benefit map), .dot or .json")
    return fmt


def plan_from(compared: Compared, options: BenefitOptions = BenefitOptions(),
              aliases: Optional[Mapping[str, str]] = None) -> Planned:
    """The plan for stages already compared: owners and types applied, actuals followed up.

    A role in the tables is found as the comparison names it, or by a lane name in ``aliases``
    (the comparison's own: ``procmap.compare.run.alias_table(options)``).
    """
    from procmap.benefits.tables import Roles

    roles = Roles(compared.comparison.roles, aliases)
    warnings: list[str] = []
    owners: dict = {}
    if options.owners is not None:
        from procmap.benefits.owners import read_owners

        owners, said = read_owners(options.owners, roles)
        warnings += said
    types = {}
    for written, kind in options.type_table().items():
        role = roles.find(written)
        if role is None:
            raise OptionError(f"--type: role '{written}' is in no stage (roles: {roles.listing()})")
        types[role] = kind
    plan = make_plan(compared.comparison, types=types, owners=owners, service=compared.title)
    planned = {b.role for b in plan.benefits}
    unused = f"has no planned benefit (its work does not shrink from {plan.first_stage} to {plan.last_stage})"
    warnings += [f"{o.where}: {role} {unused}; owner not used" for role, o in owners.items() if role not in planned]
    warnings += [f"--type: {role} {unused}; type not used" for role in types if role not in planned]
    if options.actuals is not None:
        from procmap.benefits.actuals import read_actuals
        from procmap.benefits.followup import follow_up

        actuals, said = read_actuals(options.actuals, roles)
        warnings += said
        plan, said = follow_up(plan, actuals)
        warnings += said
    return Planned(compared, plan.model_copy(update={"warnings": [*plan.warnings, *warnings]}), warnings)


def plan_files(files: Sequence[Source], comparing: CompareOptions = CompareOptions(),
               options: BenefitOptions = BenefitOptions(), reading: Reading = Reading()) -> Planned:
    """Read and compare the stage files, and make the benefit plan."""
    from procmap.compare.run import alias_table

    return plan_from(compare_files(files, comparing, reading), options, alias_table(comparing))


def plan_bytes(planned: Planned, fmt: str, look: Look = Look()) -> bytes:
    """The plan in one format of :data:`PLAN_FORMATS`' values."""
    if fmt == "json":
        return planned.plan.to_json().encode("utf-8")
    if fmt.startswith("map-"):
        from procmap.benefits.map import map_dot, map_svg

        if fmt == "map-dot":
            return map_dot(planned.plan, lang=look.lang, theme=look.theme).encode("utf-8")
        svg = map_svg(planned.plan, lang=look.lang, theme=look.theme)
        if fmt == "map-svg":
            return svg.encode("utf-8")
        from procmap.render.export import svg_to_png

        return svg_to_png(svg, dpi=144)
    from procmap.benefits import output

    if fmt == "xlsx":
        return output.workbook(planned.plan, lang=look.lang)
    if fmt == "html":
        return output.plan_html(planned.plan, lang=look.lang, theme=look.theme, date=look.date).encode("utf-8")
    return output.plan_pdf(planned.plan, lang=look.lang, theme=look.theme, date=look.date)


def write_plan(planned: Planned, output: Union[str, Path], options: BenefitOptions = BenefitOptions(),
               look: Look = Look()) -> Path:
    fmt = plan_format(output)
    inputs = inputs_of(planned.compared, options)
    check_output(output, inputs)
    return write_atomic(output, plan_bytes(planned, fmt, look), inputs=inputs)


def slides_bytes(planned: Planned, look: Look = Look()) -> bytes:
    from procmap.benefits.slides import deck

    return deck(planned.compared.models, planned.compared.comparison, planned.plan, lang=look.lang,
                theme=look.theme, layout=look.layout, date=look.date)


def check_slides_name(output: Union[str, Path], inputs: Sequence[Any]) -> None:
    if Path(output).suffix.lower() != ".pptx":
        raise OptionError(f"cannot write {shown(Path(output).name)!r}: the deck's file name must end in .pptx")
    check_output(output, _paths(inputs))


def write_slides(planned: Planned, output: Union[str, Path], options: BenefitOptions = BenefitOptions(),
                 look: Look = Look()) -> Path:
    inputs = inputs_of(planned.compared, options)
    check_slides_name(output, inputs)
    return write_atomic(output, slides_bytes(planned, look), inputs=inputs)


__all__ = ["PLAN_FORMATS", "Planned", "check_slides_name", "inputs_of", "plan_bytes", "plan_files", "plan_format",
           "plan_from", "slides_bytes", "write_plan", "write_slides"]
