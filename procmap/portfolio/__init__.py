"""A portfolio: many services compared at once and ranked by the working time they free.

``run_portfolio(path, options)`` finds the services (a folder of service folders, or a manifest CSV),
compares each one's stages exactly as ``procmap compare`` does (in parallel, from a cache when
unchanged) and returns a :class:`Portfolio`: the services ranked by hours freed a year, each role's
total across services, and the services that failed with their one-line reason.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"assess": "procmap.portfolio.assess", "default_cache_dir": "procmap.portfolio.cache",
          "Portfolio": "procmap.portfolio.result", "RoleResult": "procmap.portfolio.result",
          "RoleTotal": "procmap.portfolio.result", "ServiceResult": "procmap.portfolio.result",
          "StepResult": "procmap.portfolio.result", "compare_services": "procmap.portfolio.run",
          "dask_executor": "procmap.portfolio.run", "run_portfolio": "procmap.portfolio.run",
          "Found": "procmap.portfolio.services", "Service": "procmap.portfolio.services",
          "find_services": "procmap.portfolio.services", "portfolio_html": "procmap.portfolio.report"}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (a re-run from the cache needs few of them)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'procmap.portfolio' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)


__all__ = sorted(_WHERE)
