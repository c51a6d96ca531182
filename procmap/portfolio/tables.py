"""A portfolio as tables: pandas DataFrames, CSV files in a folder, one Excel workbook.

- ``services``: one row per compared service, ranked (rank, figures first -> last stage, P10/P90);
- ``service_roles``: one row per service and role (the long table to pivot or filter);
- ``roles``: each role's total across the services;
- ``failed``: the services that could not be compared, with their reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Union

import pandas as pd

from procmap.files import check_output, write_atomic
from procmap.portfolio.result import Portfolio
from procmap.views.frames import tables_csv, tables_workbook, write_tables_csv

SERVICE_COLUMNS = ("rank", "service", "stages", "first_stage", "last_stage", "cases_per_year", "tasks_first",
                   "tasks_last", "hours_saved", "hours_p10", "hours_p90", "fte_saved", "money_saved",
                   "minutes_saved", "warnings", "files", "hours_inside", "hours_outside")
ROLE_COLUMNS = ("rank", "service", "role", "tasks_first", "tasks_last", "hours_saved", "hours_p10", "hours_p90",
                "fte_saved", "money_saved", "minutes_saved")


def frames(portfolio: Portfolio) -> dict[str, pd.DataFrame]:
    """The portfolio's tables by the name they get as a CSV file or an Excel sheet."""
    services, roles = [], []
    for rank, s in enumerate(portfolio.services, start=1):
        services.append({
            "rank": rank, "service": s.service, "stages": " → ".join(s.stages), "first_stage": s.stages[0],
            "last_stage": s.stages[-1], "cases_per_year": s.cases_per_year, "tasks_first": s.tasks[0],
            "tasks_last": s.tasks[-1], "hours_saved": s.hours_saved, "hours_p10": s.hours_p10,
            "hours_p90": s.hours_p90, "fte_saved": s.fte_saved, "money_saved": s.money_saved,
            "minutes_saved": s.minutes_saved, "warnings": len(s.warnings), "files": " | ".join(s.files),
            "hours_inside": s.hours_inside, "hours_outside": s.hours_outside})
        for role, r in s.roles.items():
            roles.append({"rank": rank, "service": s.service, "role": role, "tasks_first": r.tasks[0],
                          "tasks_last": r.tasks[-1], "hours_saved": r.hours_saved, "hours_p10": r.hours_p10,
                          "hours_p90": r.hours_p90, "fte_saved": r.fte_saved, "money_saved": r.money_saved,
                          "minutes_saved": r.minutes_saved})
    totals = pd.DataFrame([r.model_dump() for r in portfolio.roles],
                          columns=["role", "services", "hours_saved", "fte_saved", "money_saved"])
    failed = pd.DataFrame([{"service": s.service, "error": s.error, "files": " | ".join(s.files)}
                           for s in portfolio.failed], columns=["service", "error", "files"])
    return {"services": pd.DataFrame(services, columns=list(SERVICE_COLUMNS)),
            "service_roles": pd.DataFrame(roles, columns=list(ROLE_COLUMNS)), "roles": totals, "failed": failed}


def write_tables(portfolio: Portfolio, *, csv_dir: Union[str, Path, None] = None,
                 xlsx: Union[str, Path, None] = None, inputs: Iterable[Path] = ()) -> list[Path]:
    """services.csv, service_roles.csv, roles.csv and failed.csv into a folder, and/or one workbook."""
    inputs = list(inputs)
    if xlsx is not None:
        check_output(xlsx, inputs)
    tables = frames(portfolio)
    written: list[Path] = []
    if csv_dir is not None:
        written += write_tables_csv(tables_csv(tables), csv_dir, inputs=inputs)
    if xlsx is not None:
        written.append(write_atomic(xlsx, tables_workbook(tables), inputs=inputs))
    return written


__all__ = ["frames", "write_tables"]
