"""SVG to files: .svg as is, .pdf and .png through CairoSVG (fonts from the system: DejaVu Sans)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Union

from procmap.errors import RenderError
from procmap.files import write_atomic

FORMATS = (".svg", ".pdf", ".png")
_PHYSICAL = re.compile(r'<svg[^>]*\swidth="[0-9.]+(mm|cm|in|pt)"')


def _cairosvg():
    try:
        import cairosvg
    except ImportError as exc:  # pragma: no cover - cairosvg is a dependency
        raise RenderError("PDF and PNG need CairoSVG (pip install cairosvg); .svg works without it") from exc
    return cairosvg


def svg_to_pdf(svg: str) -> bytes:
    return _cairosvg().svg2pdf(bytestring=svg.encode("utf-8"))


def svg_to_png(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> bytes:
    """PNG at `dpi` (96 = one pixel per SVG px), or scaled to `width` pixels."""
    kw: dict = {"bytestring": svg.encode("utf-8")}
    if width:
        kw["output_width"] = int(width)
    elif _PHYSICAL.search(svg[:2000]):
        kw["dpi"] = dpi  # the page has a physical size (mm): dpi sets the pixels
    else:
        kw["scale"] = dpi / 96.0
    return _cairosvg().svg2png(**kw)


def check_suffix(path: Union[str, Path]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write {Path(path).name!r}: the file name must end in .svg, .pdf or .png")
    return suffix


def save(svg: str, path: Union[str, Path], *, dpi: float = 96.0, width: Optional[int] = None) -> Path:
    """Write an SVG document as .svg, .pdf or .png, chosen by the file's suffix."""
    path = Path(path)
    suffix = check_suffix(path)
    if suffix == ".svg":
        data = svg.encode("utf-8")
    elif suffix == ".pdf":
        data = svg_to_pdf(svg)
    else:
        data = svg_to_png(svg, dpi=dpi, width=width)
    return write_atomic(path, data)
