"""Load benchmark of ``procmap serve``: simulated users on loopback upload, compare and download at once.

The server runs as its own process (``procmap serve --no-browser``) on a free 127.0.0.1 port.
Each user is a thread with its own httpx client (so its own session cookie) and does
``--rounds`` rounds of:

1. upload: ``POST /update`` with the sample's three stages and a cases-per-year figure of its
   own (so no round is answered from the previous one's results): the page's comparison;
2. compare: ``POST /api/compare`` with the same files: the JSON of ``procmap compare --json``;
3. download: one of the downloads, in turn (tables, report, SVG poster, Excel; a PDF poster every
   tenth round).

Bounded: every request has a timeout, the whole run a deadline after which users stop, and the
server is stopped at the end. The baseline is the same rounds done by one thread in-process
(the app layer, no HTTP), so the ratio says what serving many users over HTTP costs.

Usage::

    python bench/bench_web.py                       # 20 users x 30 rounds
    python bench/bench_web.py --users 5 --rounds 4  # a quick look

Prints requests/s, p50/p95 latency per kind and errors; exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "barnehage"
STAGES = [SAMPLE / "1-manual.bpmn", SAMPLE / "2-eskjema.bpmn", SAMPLE / "3-integrert.bpmn"]
DOWNLOADS = ["tables.zip", "report.html", "poster.svg", "tables.xlsx"]


def _download_of(round_: int) -> str:
    return "poster.pdf" if round_ % 10 == 9 else DOWNLOADS[round_ % len(DOWNLOADS)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "procmap", "serve", "--no-browser", "--port", str(port),
                             "--max-sessions", "100"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench_web: the server stopped: {proc.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("bench_web: the server did not start within 30 s")


class Tally:
    """Latencies and errors of all users, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def _files() -> list:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in STAGES]


def _user(url: str, user: int, rounds: int, tally: Tally, stop: threading.Event, timeout: float) -> None:
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for r in range(rounds):
            if stop.is_set():
                tally.add("stopped", 0.0, f"user {user} stopped by the deadline at round {r}")
                return
            cases = str(100 + user * 1000 + r)
            kind = _download_of(r)
            for name, call, check in (
                ("upload", lambda: client.post("/update", files=_files(), data={"cases": cases, "lang": "nb"}),
                 lambda a: 'id="result"' in a.text and "messages" not in a.text[:200]),
                ("compare", lambda: client.post("/api/compare", files=_files(), data={"cases": cases}),
                 lambda a: a.json()["settings"]["cases_per_year"] == float(cases)),
                (f"download {kind}", lambda: client.get(f"/download/{kind}"), lambda a: len(a.content) > 1000),
            ):
                start = time.perf_counter()
                try:
                    answer = call()
                    ok = answer.status_code == 200 and check(answer)
                    error = "" if ok else f"HTTP {answer.status_code} {answer.text[:200]!r}"
                except Exception as exc:  # a failed request is counted, not raised
                    error = f"{type(exc).__name__}: {exc}"
                tally.add(name.split()[0] if name.startswith("download") else name, time.perf_counter() - start,
                          error)


def _baseline(rounds: int) -> float:
    """Seconds one in-process thread needs for ``rounds`` rounds of the same work, pictures of the page
    included (no HTTP, no sessions, no HTML)."""
    from procmap.app import compare_files, comparison_json, make_poster, report_html
    from procmap.options import CompareOptions, Look
    from procmap.render.export import svg_to_pdf
    from procmap.web.view import result
    from procmap.views.frames import csv_files, workbook

    def named() -> list:
        out = []
        for p in STAGES:
            stream = io.BytesIO(p.read_bytes())
            stream.name = p.name
            out.append(stream)
        return out

    start = time.perf_counter()
    for r in range(rounds):
        made = compare_files(named(), CompareOptions(cases_per_year=100 + r))
        result(made, Look())
        comparison_json(compare_files(named(), CompareOptions(cases_per_year=100 + r)))
        kind = _download_of(r)
        if kind.startswith("poster"):
            svg = make_poster(made, None).result.svg
            if kind.endswith("pdf"):
                svg_to_pdf(svg)
        elif kind == "report.html":
            report_html(made)
        elif kind == "tables.xlsx":
            workbook(made.comparison)
        else:
            csv_files(made.comparison)
    return time.perf_counter() - start


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--deadline", type=float, default=1200.0, help="seconds for the whole run")
    args = parser.parse_args()

    port = _free_port()
    server = _start_server(port)
    url = f"http://127.0.0.1:{port}"
    tally = Tally()
    stop = threading.Event()
    try:
        threads = [threading.Thread(target=_user, args=(url, u, args.rounds, tally, stop, args.timeout), daemon=True)
                   for u in range(args.users)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        end_by = time.monotonic() + args.deadline
        for t in threads:
            t.join(max(0.0, end_by - time.monotonic()))
        stop.set()
        for t in threads:
            t.join(args.timeout + 5)
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    baseline = _baseline(args.rounds)
    done = sum(len(v) for k, v in tally.times.items() if k != "stopped")
    every = [s for k, v in tally.times.items() if k != "stopped" for s in v]
    print(f"procmap serve, {args.users} users x {args.rounds} rounds (upload + compare + download) on loopback, "
          f"{os.cpu_count()} CPUs")
    print(f"  requests     {done} in {wall:.1f} s = {done / wall:.1f} requests/s")
    print(f"  latency      p50 {statistics.median(every) * 1000:.0f} ms, p95 {_p(every, 0.95) * 1000:.0f} ms")
    for kind in ("upload", "compare", "download"):
        times = tally.times.get(kind, [])
        if times:
            print(f"  {kind:<12} {len(times):>5} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {_p(times, 0.95) * 1000:.0f} ms")
    rounds_done = len(tally.times.get("download", []))
    per_round_server = wall / max(1, rounds_done)
    per_round_base = baseline / args.rounds
    print(f"  baseline     one thread in-process: {per_round_base * 1000:.0f} ms a round; served: "
          f"{per_round_server * 1000:.0f} ms a round of wall time ({per_round_server / per_round_base:.2f}x the "
          "baseline; below 1 = users served in parallel)")
    print(f"  errors       {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"    {error}")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
