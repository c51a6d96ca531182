"""A real procmap web server for tests: uvicorn in a thread on a free loopback port, stopped afterwards."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "barnehage"
STAGES = [SAMPLE / "1-manual.bpmn", SAMPLE / "2-eskjema.bpmn", SAMPLE / "3-integrert.bpmn"]


@contextmanager
def running(limits=None) -> Iterator[str]:
    """The URL of a server made by ``create_app(limits)``, listening on 127.0.0.1 only."""
    import uvicorn

    from procmap.options import Limits
    from procmap.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(limits or Limits()), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def stage_files(paths=STAGES) -> list[tuple[str, tuple[str, bytes, str]]]:
    """Multipart ``files`` fields, as a browser sends them."""
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def without_stage(path: Path) -> bytes:
    """A sample stage file with no ``stage`` of its own: its place can only come from its name or the user."""
    return re.sub(rb'\s[\w:]*stage="[^"]*"', b"", path.read_bytes(), count=1)
