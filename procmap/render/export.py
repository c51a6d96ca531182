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


#: The largest PNG side cairo can make, in pixels.
MAX_PNG_PX = 32767
#: The most pixels a PNG may have (about 256 MB while it is drawn): larger ones are scaled down.
MAX_PNG_PIXELS = 64_000_000
_SIZE = re.compile(r'<svg[^>]*?\swidth="([0-9.]+)(mm|cm|in|pt|px)?"[^>]*?\sheight="([0-9.]+)(mm|cm|in|pt|px)?"')
_PX_PER = {None: 1.0, "px": 1.0, "pt": 96 / 72, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def png_size(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> tuple[float, float]:
    """The pixel size a PNG of this SVG would have (from the root's width and height)."""
    found = _SIZE.search(svg[:4000])
    if not found:
        return 0.0, 0.0
    w = float(found.group(1)) * _PX_PER[found.group(2)]
    h = float(found.group(3)) * _PX_PER[found.group(4)]
    if width:
        return float(width), h * width / w if w else 0.0
    scale = dpi / 96.0
    return w * scale, h * scale


def svg_to_png(svg: str, *, dpi: float = 96.0, width: Optional[int] = None,
               notes: Optional[list[str]] = None) -> bytes:
    """PNG at `dpi` (96 = one pixel per SVG px), or scaled to `width` pixels.

    A PNG larger than cairo can make (32 767 px a side) or than memory should hold
    (64 million pixels) is scaled down to fit, and a note saying so is added to `notes`;
    a picture of no size is refused.
    """
    w, h = png_size(svg, dpi=dpi, width=width)
    if not (w >= 1 and h >= 1):
        raise RenderError("the picture has no size; nothing to write as PNG")
    kw: dict = {"bytestring": svg.encode("utf-8")}
    fit = min(1.0, MAX_PNG_PX / max(w, h), (MAX_PNG_PIXELS / (w * h)) ** 0.5)
    if fit < 1.0:
        kw["output_width"] = max(1, int(w * fit))
        kw["output_height"] = max(1, int(h * fit))
        if notes is not None:
            notes.append(f"the PNG would be {w:,.0f} x {h:,.0f} px, more than a PNG should hold; scaled down to "
                         f"{kw['output_width']:,} x {kw['output_height']:,} px (use .svg or .pdf for full detail)")
    elif width:
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


def save(svg: str, path: Union[str, Path], *, dpi: float = 96.0, width: Optional[int] = None,
         notes: Optional[list[str]] = None) -> Path:
    """Write an SVG document as .svg, .pdf or .png, chosen by the file's suffix (what had to give, in `notes`)."""
    path = Path(path)
    suffix = check_suffix(path)
    if suffix == ".svg":
        data = svg.encode("utf-8")
    elif suffix == ".pdf":
        data = svg_to_pdf(svg)
    else:
        data = svg_to_png(svg, dpi=dpi, width=width, notes=notes)
    return write_atomic(path, data)
