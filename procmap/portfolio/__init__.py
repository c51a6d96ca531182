"""A portfolio: many services compared at once and ranked by the working time they free.

``run_portfolio(path, options)`` finds the services (a folder of service folders, or a manifest CSV),
compares each one's stages exactly as ``procmap compare`` does (in parallel, from a cache when
unchanged) and returns a :class:`Portfolio`: the services ranked by hours freed a year, each role's
total across services, and the services that failed with their one-line reason.
"""

from __future__ import annotations

from procmap.portfolio.assess import assess
from procmap.portfolio.cache import default_cache_dir
from procmap.portfolio.result import Portfolio, RoleResult, RoleTotal, ServiceResult, StepResult
from procmap.portfolio.run import compare_services, dask_executor, run_portfolio
from procmap.portfolio.services import Found, Service, find_services

__all__ = ["Found", "Portfolio", "RoleResult", "RoleTotal", "Service", "ServiceResult", "StepResult", "assess",
           "compare_services", "dask_executor", "default_cache_dir", "find_services", "run_portfolio"]
