"""Small helpers to write SVG as text: escaping, numbers, shapes and lines of text."""

from __future__ import annotations

import re
from typing import Iterable, Optional

from procmap.layout import text as tx

SVG_NS = "http://www.w3.org/2000/svg"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def esc(value: object) -> str:
    """Text or attribute value escaped for XML; characters XML forbids are dropped."""
    s = value if value.__class__ is str else str(value)
    if _NEEDS_ESCAPE.search(s) is None:  # most names and every colour: nothing to do
        return s
    s = _INVALID_XML.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    if value.__class__ is float:  # the common case, written out: a picture writes thousands
        if value.is_integer():
            return str(int(value))
        if value == value:  # not NaN
            s = f"{value:.2f}".rstrip("0").rstrip(".")
            return "0" if s == "-0" else s
    if value != value:  # NaN
        return "0"
    s = f"{value:.2f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


#: Attribute names by keyword (``stroke_width`` -> ``stroke-width``), worked out once per keyword.
_NAMES: dict[str, str] = {}


def _name(key: str) -> str:
    name = _NAMES[key] = key.rstrip("_").replace("__", ":").replace("_", "-")
    return name


def attrs(**kw: object) -> str:
    """Attributes from keyword arguments: trailing underscore dropped, other underscores become hyphens."""
    out = ""
    names = _NAMES
    for key, value in kw.items():
        if value is None or value is False:
            continue
        name = names.get(key) or _name(key)
        kind = value.__class__
        if kind is str:
            out += f' {name}="{esc(value)}"'
        elif kind is float:
            out += f' {name}="{num(value)}"'  # numbers need no escaping
        elif kind is int:
            out += f' {name}="{value}"'
        elif isinstance(value, (float, int)) and not isinstance(value, bool):
            out += f' {name}="{num(value) if isinstance(value, float) else value}"'
        else:
            out += f' {name}="{esc(value)}"'
    return out


def rect(x: float, y: float, w: float, h: float, **kw: object) -> str:
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(max(h, 0))}"{attrs(**kw)}/>'


def circle(cx: float, cy: float, r: float, **kw: object) -> str:
    return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"{attrs(**kw)}/>'


def line(x1: float, y1: float, x2: float, y2: float, **kw: object) -> str:
    return f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"{attrs(**kw)}/>'


def polyline(points: Iterable[tuple[float, float]], **kw: object) -> str:
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<polyline points="{pts}" fill="none"{attrs(**kw)}/>'


def polygon(points: Iterable[tuple[float, float]], **kw: object) -> str:
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<polygon points="{pts}"{attrs(**kw)}/>'


def path(d: str, **kw: object) -> str:
    return f'<path d="{d}"{attrs(**kw)}/>'


def title(value: str) -> str:
    return f"<title>{esc(value)}</title>"


def text(x: float, y: float, value: str, size: float, **kw: object) -> str:
    """One line of text with its baseline at y."""
    return f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{attrs(**kw)}>{esc(value)}</text>'


def baseline(line_top: float, size: float, line_height: float = tx.LINE_HEIGHT) -> float:
    """Baseline that centres capitals and lower case in a line box starting at line_top."""
    return line_top + size * line_height / 2 + size * 0.36


def lines_block(cx: float, cy: float, lines: list[str], size: float, *, anchor: str = "middle",
                bold: bool = False, fill: Optional[str] = None, line_height: float = tx.LINE_HEIGHT,
                strike: Optional[str] = None, italic: bool = False, x: Optional[float] = None,
                top: Optional[float] = None, class_: Optional[str] = None) -> str:
    """Lines of text centred on (cx, cy) (or starting at `top`), anchored left, middle or right at x/cx.

    `strike` is a colour: each line gets a line through it (for removed tasks).
    """
    if not lines:
        return ""
    block_h = len(lines) * size * line_height
    y0 = cy - block_h / 2 if top is None else top
    ax = cx if x is None else x
    out = []
    # what every line says alike, written once (as text() would write it)
    same = attrs(text_anchor=None if anchor == "start" else anchor, font_weight="bold" if bold else None, fill=fill,
                 font_style="italic" if italic else None, class_=class_)
    x_at, size_is = num(ax), num(size)
    for i, value in enumerate(lines):
        y = baseline(y0 + i * size * line_height, size, line_height)
        out.append(f'<text x="{x_at}" y="{num(y)}" font-size="{size_is}"{same}>{esc(value)}</text>')
        if strike:
            w = tx.width(value, size, bold)
            left = ax - (w / 2 if anchor == "middle" else (w if anchor == "end" else 0))
            out.append(line(left - 2, y - size * 0.3, left + w + 2, y - size * 0.3, stroke=strike,
                            stroke_width=max(1.1, size * 0.09), stroke_opacity=0.8))
    return "".join(out)


def document(body: str, width: float, height: float, *, font: str, background: Optional[str] = None,
             width_attr: Optional[str] = None, height_attr: Optional[str] = None, title_text: Optional[str] = None,
             extra_attrs: str = "") -> str:
    """A complete standalone SVG document."""
    head = (f'<svg xmlns="{SVG_NS}" version="1.1" width="{width_attr or num(width)}" '
            f'height="{height_attr or num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
            f'font-family="{esc(font)}"{extra_attrs}>')
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', head]
    if title_text:
        parts.append(title(title_text))
    if background:
        parts.append(rect(0, 0, width, height, fill=background))
    parts.append(body)
    parts.append("</svg>\n")
    return "".join(parts)


def fragment(body: str, width: float, height: float, *, font: str, background: Optional[str] = None,
             extra_attrs: str = "") -> str:
    """An <svg> element without XML declaration, to inline in HTML."""
    return (f'<svg xmlns="{SVG_NS}" viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" '
            f'height="{num(height)}" font-family="{esc(font)}"{extra_attrs}>'
            + (rect(0, 0, width, height, fill=background) if background else "") + body + "</svg>")
