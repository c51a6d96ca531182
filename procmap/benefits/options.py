"""The options of a benefit plan: who owns each benefit, what was measured, and the type of a role's benefit.

Defined once, in the style of :mod:`procmap.options`: each field carries its flag, so the
``procmap benefits`` command and the web form are built from this one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Optional

from procmap.errors import OptionError
from procmap.options import Field, TableSource, _Options

#: The benefit types, as in DFØ's guide: a budget reduction, time freed for other work, or a benefit
#: outside the organisation (the applicant's time).
TYPES: tuple[str, ...] = ("budget_reduction", "freed_time", "outside")

#: What a person may write for a type (nb and en), in lower case with single blanks -> type.
_TYPE_WORDS: Mapping[str, str] = MappingProxyType({
    "budget reduction": TYPES[0], "budget": TYPES[0], "budsjett": TYPES[0], "budsjettreduksjon": TYPES[0],
    "kostnadsreduksjon": TYPES[0],
    "freed time": TYPES[1], "freed": TYPES[1], "time": TYPES[1], "frigjort": TYPES[1], "frigjort tid": TYPES[1],
    "frigjort tid til annet arbeid": TYPES[1], "freed time for other work": TYPES[1],
    "outside": TYPES[2], "external": TYPES[2], "utenfor": TYPES[2], "ekstern": TYPES[2],
    "gevinst utenfor organisasjonen": TYPES[2], "benefit outside the organisation": TYPES[2],
})


def benefit_type(text: str) -> Optional[str]:
    """The type a word names ("budsjett", "freed_time", "Outside" ...), or None."""
    return _TYPE_WORDS.get(" ".join(str(text).replace("_", " ").replace("-", " ").casefold().split()))


def parse_type(text: str) -> tuple[str, str]:
    """``"Søker=outside"`` -> ("Søker", "outside"), as given to ``--type``."""
    role, sep, kind = str(text).rpartition("=")
    if not sep or not role.strip() or not kind.strip():
        raise OptionError(f"--type '{text}' must look like 'Role=TYPE' (TYPE: {', '.join(TYPES)})")
    found = benefit_type(kind)
    if found is None:
        raise OptionError(f"--type '{text}': unknown type {kind.strip()!r}; use one of {', '.join(TYPES)}")
    return role.strip(), found


@dataclass(frozen=True)
class BenefitOptions(_Options):
    """Who owns each benefit, what was measured since, and the type of a role's benefit."""

    owners: TableSource = Field(
        None, "owners", "CSV",
        "Benefit owners: columns role,owner[,due][,type] (due as YYYY-MM-DD; type as for --type).", cli_type=Path)
    actuals: TableSource = Field(
        None, "actuals", "CSV",
        "Measured minutes per case since the change: columns date,role,minutes_per_case (any number of dates).",
        cli_type=Path)
    types: tuple[str, ...] = Field(
        (), "type", "'ROLE=TYPE'",
        "The type of a role's benefit: budget_reduction, freed_time (the default for staff) or outside "
        "(the default for a role without a rate, such as the applicant), e.g. --type 'Arkiv=budget_reduction' "
        "(repeatable; wins over the owners table).", repeatable=True)

    def __post_init__(self) -> None:
        types = (self.types,) if isinstance(self.types, str) else tuple(self.types or ())
        object.__setattr__(self, "types", types)
        for text in types:
            parse_type(text)

    def type_table(self) -> dict[str, str]:
        """Role as written -> type."""
        return dict(parse_type(t) for t in self.types)


__all__ = ["TYPES", "BenefitOptions", "benefit_type", "parse_type"]
