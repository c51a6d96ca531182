"""Compare: match roles and tasks across stages, count the work, estimate what each stage saves.

``procmap.compare`` is both this package and the public function: the package is
callable, so ``procmap.compare(models, cases_per_year=...)`` runs
:func:`procmap.compare.run.compare` however the package was first imported.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    """The package object answers a call with the comparison function."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from procmap.compare.run import compare

        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
