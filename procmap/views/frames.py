"""A Comparison as pandas DataFrames, and as CSV files or an Excel workbook.

- :func:`role_frame`: one row per role per stage (long; pivot it for roles x stages);
- :func:`changes_frame`: one row per task change between consecutive stages;
- :func:`savings_frame`: one row per role (and 'Total') per pair of stages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Union

from procmap.compare.result import Comparison
from procmap.errors import OutputError, ProcmapError
from procmap.files import check_output, shown, write_atomic

if TYPE_CHECKING:  # pandas is imported when a table is made, not with the package
    import pandas as pd

#: The columns of each frame, in order (tuples: shared by every caller).
ROLE_COLUMNS = ("stage", "role", "present", "tasks", "manual", "automated", "system", "handoffs_in", "handoffs_out",
                "minutes", "tasks_without_minutes", "hours_per_year", "cost_per_year", "tasks_by_type")
CHANGE_COLUMNS = ("from_stage", "to_stage", "role", "change", "role_after", "before_id", "after_id", "name_before",
                  "name_after", "type_before", "type_after", "renamed", "kind_changed", "similarity", "matched_by",
                  "minutes_before", "minutes_after")
SAVING_COLUMNS = ("from_stage", "to_stage", "role", "tasks", "manual", "automated", "minutes_per_case", "hours",
                  "money", "fte", "hours_p10", "hours_p50", "hours_p90")
NEAR_COLUMNS = ("from_stage", "to_stage", "role", "role_after", "before_id", "after_id", "name_before", "name_after", "similarity")


def role_frame(comparison: Comparison) -> pd.DataFrame:
    """Per role and stage: tasks, manual/automated, handoffs, minutes per case, hours and cost per year.

    ``role_frame(c).pivot(index="role", columns="stage", values="tasks")`` gives roles x stages.
    """
    import pandas as pd

    rows = []
    for stage in comparison.stages:
        for rs in stage.roles:
            rows.append({
                "stage": stage.name, "role": rs.role, "present": rs.present, "tasks": rs.tasks, "manual": rs.manual,
                "automated": rs.automated, "system": rs.system, "handoffs_in": rs.handoffs_in, "handoffs_out": rs.handoffs_out,
                "minutes": rs.minutes, "tasks_without_minutes": len(rs.tasks_without_minutes),
                "hours_per_year": rs.hours_per_year, "cost_per_year": rs.cost_per_year,
                "tasks_by_type": ", ".join(f"{k} {v}" for k, v in sorted(rs.tasks_by_type.items())),
            })
    frame = pd.DataFrame(rows, columns=ROLE_COLUMNS)
    frame["stage"] = pd.Categorical(frame["stage"], categories=[s.name for s in comparison.stages], ordered=True)
    frame["role"] = pd.Categorical(frame["role"], categories=comparison.roles, ordered=True)
    return frame


def changes_frame(comparison: Comparison) -> pd.DataFrame:
    """Every task change; ``renamed`` and ``kind_changed`` flag those facts whatever the ``change`` is."""
    import pandas as pd

    rows = []
    for c in comparison.changes:
        row = {k: getattr(c, k) for k in CHANGE_COLUMNS if k not in ("renamed", "kind_changed")}
        both = c.before_id is not None and c.after_id is not None
        row["renamed"] = both and c.name_before != c.name_after
        row["kind_changed"] = both and c.type_before != c.type_after
        rows.append(row)
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def savings_frame(comparison: Comparison) -> pd.DataFrame:
    """Savings per role and pair of stages (positive = less work later), with the Monte Carlo P10/P50/P90."""
    import pandas as pd

    rows = []
    for s in comparison.savings:
        iv = s.hours_interval
        rows.append({"from_stage": s.from_stage, "to_stage": s.to_stage, "role": s.role, "tasks": s.tasks,
                     "manual": s.manual, "automated": s.automated, "minutes_per_case": s.minutes_per_case,
                     "hours": s.hours, "money": s.money, "fte": s.fte,
                     "hours_p10": iv.p10 if iv else None, "hours_p50": iv.p50 if iv else None,
                     "hours_p90": iv.p90 if iv else None})
    return pd.DataFrame(rows, columns=SAVING_COLUMNS)


def stages_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per stage: its file, tasks, minutes per case and handoffs."""
    import pandas as pd

    return pd.DataFrame([{"stage": s.name, "source": s.source, "tasks": s.tasks, "minutes": s.minutes,
                          "handoffs": s.handoffs} for s in comparison.stages],
                        columns=["stage", "source", "tasks", "minutes", "handoffs"])


def frames(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """All tables by the name they get as a CSV file or an Excel sheet."""
    import pandas as pd

    return {"stages": stages_frame(comparison), "roles": role_frame(comparison),
            "changes": changes_frame(comparison), "savings": savings_frame(comparison),
            "near_misses": pd.DataFrame([n.model_dump() for n in comparison.near_misses], columns=list(NEAR_COLUMNS)),
            "warnings": pd.DataFrame({"warning": comparison.warnings}, columns=["warning"])}


def csv_files(comparison: Comparison) -> dict[str, bytes]:
    """stages.csv, roles.csv, changes.csv, savings.csv, near_misses.csv and warnings.csv as bytes (UTF-8 with
    BOM, for Excel)."""
    return tables_csv(frames(comparison))


def workbook(comparison: Comparison) -> bytes:
    """One Excel workbook with a sheet per table, as bytes."""
    return tables_workbook(frames(comparison))


def tables_csv(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """Named tables as CSV files' bytes (UTF-8 with BOM, for Excel)."""
    return {f"{name}.csv": frame.to_csv(index=False).encode("utf-8-sig") for name, frame in tables.items()}


def tables_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """Named tables as one Excel workbook with a sheet each (names cut to Excel's 31 characters), as bytes."""
    import io

    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ProcmapError("writing .xlsx needs openpyxl: pip install 'procmap[xlsx]'") from None
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def write_tables_csv(tables: dict[str, bytes], directory: Union[str, Path], *,
                     inputs: Iterable[Path] = ()) -> list[Path]:
    """CSV files' bytes written into a folder, each atomically."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write the CSV files into {shown(out)}: it is a file, not a folder")
    return [write_atomic(out / name, data, inputs=inputs) for name, data in tables.items()]


def write_csv(comparison: Comparison, directory: Union[str, Path], *, inputs: Iterable[Path] = ()) -> list[Path]:
    """Write stages.csv, roles.csv, changes.csv, savings.csv, near_misses.csv and warnings.csv into a folder,
    each atomically."""
    return write_tables_csv(csv_files(comparison), directory, inputs=inputs)


def write_xlsx(comparison: Comparison, path: Union[str, Path], *, inputs: Iterable[Path] = ()) -> Path:
    """Write one Excel workbook with a sheet per table (atomically)."""
    check_output(path, inputs)
    return write_atomic(path, workbook(comparison), inputs=inputs)
