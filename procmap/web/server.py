"""The web server: the page, its one form, the downloads and the JSON API, as one FastAPI app.

``create_app(limits)`` makes an app with its own session store (no module state), so tests and
``procmap serve`` each get their own. Uploads are read into memory within ``limits``; the work
itself (reading, comparing, drawing) runs in worker threads so one user's poster does not stop
another user's page.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any, Sequence
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware.trustedhost import TrustedHostMiddleware

from procmap._version import __version__
from procmap.app import comparison_json
from procmap.errors import ProcmapError
from procmap.options import Limits
from procmap.web import view, work
from procmap.web.forms import TooLarge, display_name
from procmap.web.sessions import Session, SessionStore, Upload

HERE = Path(__file__).resolve().parent
COOKIE = "procmap_session"
#: Only this machine's names: a page elsewhere cannot reach the server by rebinding a domain to 127.0.0.1.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
#: The browser may fetch nothing but this server (the page uses no CDN, font or tracker).
SECURITY_HEADERS = MappingProxyType({
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
})
API_DESCRIPTION = """\
`POST /api/compare` compares two or more stage files and answers exactly what `procmap compare --json` prints
for the same files and options. Send multipart form data: the stage files as repeated `files` fields, oldest
stage first, and any option of `procmap compare` by its flag's name without dashes (`stages`, `cases`, `rate`,
`hours-per-fte`, `similarity`, `seed`, `simulations`, `alias` (repeatable), `currency`, `lang`); the tables
`rates`, `efforts` and `aliases` are CSV files, and a rate per role may also be sent as a field `rates:ROLE`.
A bad option or file, fewer than two stages or an unknown field is a 400 with `{"detail": "..."}`; files over
the size limits a 413. Nothing is stored: the files are read in memory and forgotten.
"""


def _rfc6266(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


async def _read_form(request: Request, limits: Limits) -> tuple[dict[str, list[str]], dict[str, list[Upload]]]:
    """The form's text fields and its uploads (read into memory, names made safe to show)."""
    form = await request.form(max_files=limits.max_files + len(work.TABLES) + 2, max_fields=2000,
                              max_part_size=1_000_000)
    values: dict[str, list[str]] = {}
    files: dict[str, list[Upload]] = {}
    count = 0
    for name, item in form.multi_items():
        if isinstance(item, UploadFile):
            if not item.filename:
                continue  # an empty file input
            data = await item.read()
            files.setdefault(name, []).append(Upload(display_name(item.filename, count), data))
            count += 1
        else:
            values.setdefault(name, []).append(item)
    await form.close()
    return values, files


def create_app(limits: Limits = Limits(), *, hosts: Sequence[str] = LOCAL_HOSTS) -> FastAPI:
    """The web app: ``uvicorn.run(create_app(), host="127.0.0.1")``; ``hosts`` are the Host names it answers."""
    store = SessionStore(limits.max_sessions, limits.session_minutes * 60)
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescaped: .html
    app = FastAPI(title="procmap", version=__version__, description=API_DESCRIPTION, docs_url=None,
                  redoc_url=None, max_body_size=limits.total_bytes + 1_000_000)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.sessions = store
    app.state.limits = limits

    @app.middleware("http")
    async def secure(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    def session_of(request: Request) -> tuple[Session, bool]:
        return store.get(request.cookies.get(COOKIE))

    def with_cookie(response: Response, session: Session, new: bool) -> Response:
        if new:  # a browser-session cookie: the server forgets the work after --session-minutes idle
            response.set_cookie(COOKIE, session.id, httponly=True, samesite="strict")
        return response

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {**context, "limits": limits, "version": __version__},
                                          status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page(request: Request) -> Response:
        session, new = session_of(request)

        def build() -> dict[str, Any]:
            with session.lock:
                return view.workspace(session)

        context = await run_in_threadpool(build)
        return with_cookie(render(request, "page.html", context), session, new)

    @app.post("/update", response_class=HTMLResponse, include_in_schema=False)
    async def update(request: Request) -> Response:
        """Everything the page changes: stage files chosen, settings, names, corrections, one action."""
        session, new = session_of(request)
        values, files = await _read_form(request, limits)
        action = (values.get("action") or [""])[0]

        expired = new and COOKIE in request.cookies  # the server forgot this user's work (idle too long)

        def apply() -> tuple[dict[str, Any], bool]:
            with session.lock:
                lang = view.look_of(session).lang
                messages: list[str] = [view.expired(values)] if expired else []
                try:
                    if files.get("files"):
                        messages += work.add_stages(session, files["files"], limits)
                    tables = {k: v[-1] for k, v in files.items() if k in work.TABLES}
                    if tables:
                        messages += work.add_tables(session, tables, limits)
                    messages += work.update(session, values, action)
                except ProcmapError as exc:
                    messages += exc.lines()
                context = view.workspace(session, messages)
                return context, context["lang"] != lang

        context, relabel = await run_in_threadpool(apply)
        response = render(request, "workspace.html", context)
        if relabel:
            response.headers["HX-Refresh"] = "true"  # the whole page changes language
        return with_cookie(response, session, new)

    @app.get("/download/{kind}", include_in_schema=False)
    async def download(request: Request, kind: str) -> Response:
        session, new = session_of(request)
        try:
            made = await run_in_threadpool(work.download, session, kind)
        except ProcmapError as exc:
            status = 404 if kind not in work.KINDS else 409  # 409: nothing compared in this session (yet, or now)
            if "text/html" in request.headers.get("accept", ""):  # a person clicked a link: a page, not JSON
                context = {**view.workspace(session), "problem": str(exc)}
                return with_cookie(render(request, "problem.html", context, status), session, new)
            return with_cookie(JSONResponse({"detail": str(exc)}, status_code=status), session, new)
        return Response(made.data, media_type=made.media_type,
                        headers={"Content-Disposition": _rfc6266(made.filename), "Cache-Control": "no-store"})

    @app.post("/api/compare", summary="Compare stage files: the JSON of `procmap compare --json`",
              responses={200: {"content": {"application/json": {}}}, 400: {"description": "A bad file or option"},
                         413: {"description": "Files over the size limits"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "multipart/form-data": {"schema": api_schema()}}}})
    async def api_compare(request: Request) -> Response:
        values, files = await _read_form(request, limits)
        stages = files.pop("files", [])
        tables = {k: v[-1] for k, v in files.items()}
        try:
            made = await run_in_threadpool(work.api_compare, stages, values, tables, limits)
        except TooLarge as exc:
            return JSONResponse({"detail": str(exc)}, status_code=413)
        except ProcmapError as exc:
            return JSONResponse({"detail": " | ".join(exc.lines())}, status_code=400)
        return Response(comparison_json(made), media_type="application/json")

    return app


def api_schema() -> dict[str, Any]:
    """The form of ``POST /api/compare`` for OpenAPI, made from the options' flags like the CLI's."""
    from procmap.options import CompareOptions, Look
    from procmap.web.forms import form_fields

    kinds = {"number": {"type": "number"}, "integer": {"type": "integer"}, "table": {"type": "string",
             "format": "binary"}, "repeated": {"type": "array", "items": {"type": "string"}}}
    properties: dict[str, Any] = {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                            "description": "The stage files, oldest first (two or more)."}}
    for cls in (CompareOptions, Look):
        for f in form_fields(cls):
            if cls is Look and f.name != "lang":
                continue
            schema = dict(kinds.get(f.kind, {"type": "string"}))
            if f.choices:
                schema["enum"] = list(f.choices)
            properties[f.name] = {**schema, "description": f.flag.help}
    return {"type": "object", "properties": properties, "required": ["files"]}


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


__all__ = ["COOKIE", "LOCAL_HOSTS", "create_app", "url_of"]
