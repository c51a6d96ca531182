"""The web page of ``procmap serve``: FastAPI, Jinja2 templates and vendored htmx, on the app layer.

``create_app(limits)`` makes the app (``pip install 'procmap[web]'``): the page for process owners,
the downloads and ``POST /api/compare``, which answers what ``procmap compare --json`` prints.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":  # FastAPI is imported only when the app is made
        from procmap.web.server import create_app

        return create_app
    raise AttributeError(f"module 'procmap.web' has no attribute {name!r}")
