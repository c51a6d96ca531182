"""The portfolio's cache on disk: an unchanged service is not compared again.

One small JSON file per service (its :class:`ServiceResult`) named by a sha256 key of everything
the result depends on: procmap's version and the content of its reading and comparing code, the options (the side tables by their content, not their
path), the size limit for reading, the service's name, stage names and cases per year, and each
stage file's path and the sha256 of its content. A changed file or option is a new key; nothing is
ever stale. Entries are written atomically, so a run stopped half-way leaves whole entries only.

Where: ``--cache-dir DIR``, else ``$XDG_CACHE_HOME/procmap/portfolio``, else
``~/.cache/procmap/portfolio``. Delete the folder at any time to empty it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import ValidationError

from procmap._version import __version__
from procmap.errors import OutputError
from procmap.files import write_atomic
from procmap.options import CompareOptions, Reading
from procmap.portfolio.result import ServiceResult
from procmap.portfolio.services import Service

#: Bumped when a ServiceResult's meaning changes, so old entries are not read as new ones.
FORMAT = 1


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/procmap``, else ``~/.cache/procmap`` (the XDG base directory rule)."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "procmap"


def _plain(value: Any) -> Any:
    """Options as JSON-able values; tables read once are dataclasses, mappings or tuples."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


#: The code a result depends on: reading, the model, comparing and summing up. Its content is part of every
#: key, so a changed procmap (an upgrade, or a working copy being edited) never reads an old result.
_CODE = ("bpmn", "model", "compare", "portfolio/assess.py", "portfolio/result.py", "options.py", "app.py")


def code_digest() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in _CODE:
        path = root / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            try:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
            except OSError:
                digest.update(file.name.encode())
    return digest.hexdigest()


def options_salt(options: CompareOptions, reading: Reading) -> str:
    """What every key of one run shares: version, code, format and options (tables by content, as loaded)."""
    return json.dumps({"procmap": __version__, "code": code_digest(), "format": FORMAT,
                       "options": _plain(options.as_dict()), "max_bytes": reading.max_bytes},
                      sort_keys=True, ensure_ascii=False, default=repr)


def _content_digest(path: Path, max_bytes: int) -> Optional[bytes]:
    """sha256 of a file read in pieces (a huge file is never held whole); None when unreadable or too big."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                return None
            while True:
                piece = handle.read(1 << 20)
                if not piece:
                    break
                digest.update(piece)
    except OSError:
        return None
    return digest.digest()


class Cache:
    """A folder of results by key. Counts what it found, so a caller (and a test) can tell."""

    def __init__(self, folder: Union[str, Path], salt: str, max_bytes: int = Reading().max_bytes) -> None:
        self.folder = Path(folder) / "portfolio"
        self.salt = salt
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.written = 0
        self.write_error: Optional[str] = None  # the first failed write: said once, then no more tries

    def key(self, service: Service) -> Optional[str]:
        """The service's key, or None when a file cannot be read or is over the size limit (comparing it
        will say why; such a service is not cached)."""
        digest = hashlib.sha256(self.salt.encode("utf-8"))
        head = {"service": service.name, "stages": service.stages, "cases": service.cases_per_year,
                "files": list(service.files)}
        digest.update(json.dumps(head, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogateescape"))
        for file in service.files:
            content = _content_digest(Path(file), self.max_bytes)
            if content is None:
                return None
            digest.update(content)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[ServiceResult]:
        try:
            data = self._path(key).read_bytes()
            result = ServiceResult.model_validate_json(data)
        except (OSError, ValueError, ValidationError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: ServiceResult) -> None:
        if self.write_error is not None:
            return
        try:
            write_atomic(self._path(key), result.model_dump_json())
        except OutputError as exc:
            self.write_error = f"cannot write to the cache ({exc.message}); results are not kept (--no-cache)"
            return
        self.written += 1


__all__ = ["Cache", "FORMAT", "code_digest", "default_cache_dir", "options_salt"]
