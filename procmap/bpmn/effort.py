"""Effort attributes: the minutes (and low/high range) a modeller wrote on a task, in any of the spellings tools use."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Optional

#: Minutes of one task per case above this are a typing mistake (a year of work), and their sums overflow.
MAX_MINUTES = 525_600.0

#: Property and attribute names that carry effort, as written by tools, to procmap's keys.
EFFORT_KEYS: Mapping[str, str] = MappingProxyType({
    "minutes": "minutes", "minutes_low": "low", "minutes-low": "low", "low": "low",
    "minutes_high": "high", "minutes-high": "high", "high": "high"})


def parse_effort(found: dict[str, str], warn) -> Optional[dict[str, float]]:
    """Turn minutes/low/high strings into an Effort dict, warning about what is unusable."""
    values: dict[str, float] = {}
    for key in ("minutes", "low", "high"):
        raw = found.get(key)
        if raw is None or str(raw).strip() == "":
            continue
        try:
            value = float(str(raw).strip().replace(",", "."))
        except ValueError:
            warn(f"{key}='{raw}' is not a number; ignored")
            continue
        if not 0 <= value <= MAX_MINUTES:  # also false for NaN
            warn(f"{key}='{raw}' is negative, not finite or beyond {MAX_MINUTES:g} minutes; ignored")
            continue
        values[key] = value
    if "minutes" not in values:
        if "low" in values and "high" in values:
            values["minutes"] = (values["low"] + values["high"]) / 2
        else:
            if values:
                warn("a low/high range needs minutes, or both low and high; ignored")
            return None
    low, high = values.get("low"), values.get("high")
    if low is not None and low > values["minutes"] or high is not None and high < values["minutes"]:
        warn(f"range low={low} high={high} does not hold minutes={values['minutes']:g}; range ignored")
        values.pop("low", None)
        values.pop("high", None)
    return values
