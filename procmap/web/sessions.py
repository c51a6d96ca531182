"""Each user's work kept on the server, keyed by a random cookie: bounded in number and expiring.

A :class:`SessionStore` is one object with its own lock (no module state), so one process
serves several users at once; a :class:`Session` has its own lock too, so two requests of
the same user (a double click) do not mix their changes.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from procmap.errors import FieldError


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its bytes and the name to show (never used as a path)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class StageFile:
    """One stage: the file, the name procmap gives it, the name the user gave it (if any), and the
    file's own ``stage`` (which may tell where the stage goes)."""

    upload: Upload
    default_name: str
    name: Optional[str] = None
    own_stage: Optional[str] = None

    @property
    def shown_name(self) -> str:
        return self.name or self.default_name


@dataclass
class Session:
    """One user's files, settings and results; change it only while holding ``lock``."""

    id: str
    stages: list[StageFile] = field(default_factory=list)  # in stage order
    moved: bool = False  # the user put the stages in order (↑ ↓): files added later are not sorted in
    tables: dict[str, Upload] = field(default_factory=dict)  # option name (efforts, aliases) -> CSV
    values: dict[str, list[str]] = field(default_factory=dict)  # form field -> values, as last taken
    typed: dict[str, list[str]] = field(default_factory=dict)  # values last sent but refused, shown until fixed
    refused: Optional[FieldError] = None  # the field that refused them, when it is known
    messages: list[str] = field(default_factory=list)  # what the last action could not do
    results: "OrderedDict[Any, Any]" = field(default_factory=OrderedDict)  # made for downloads, newest last
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def size(self) -> int:
        """Bytes of uploads held."""
        return sum(len(s.upload.data) for s in self.stages) + sum(len(u.data) for u in self.tables.values())

    def remember(self, key: Any, make: Callable[[], Any], keep: int = 8) -> Any:
        """A result made once per key (a poster, a report); only the newest few are kept."""
        with self.lock:
            if key in self.results:
                self.results.move_to_end(key)
                return self.results[key]
            value = make()
            self.results[key] = value
            while len(self.results) > keep:
                self.results.popitem(last=False)
            return value


class SessionStore:
    """At most ``max_sessions`` sessions, each forgotten ``ttl`` seconds after its last request."""

    def __init__(self, max_sessions: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_sessions = max_sessions
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: "OrderedDict[str, tuple[Session, float]]" = OrderedDict()

    def get(self, session_id: Optional[str]) -> tuple[Session, bool]:
        """The session of this cookie, or a new one; True when it is new (the cookie must be set)."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            found = self._sessions.get(session_id or "")
            if found is not None:
                self._sessions[found[0].id] = (found[0], now)
                self._sessions.move_to_end(found[0].id)
                return found[0], False
            session = Session(secrets.token_urlsafe(24))
            self._sessions[session.id] = (session, now)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)  # the one idle the longest
            return session, True

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._sessions)

    def _expire(self, now: float) -> None:
        while self._sessions:
            _, (session, used) = next(iter(self._sessions.items()))
            if now - used <= self.ttl:
                break
            self._sessions.popitem(last=False)


__all__ = ["Session", "SessionStore", "StageFile", "Upload"]
