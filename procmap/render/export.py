"""SVG to files: .svg as is, .pdf through CairoSVG, .png through librsvg's rsvg-convert when it is
installed (several times faster on large pictures) or CairoSVG (fonts from the system: DejaVu Sans).

A PNG is made for its pixels: text smaller than a pixel at the output scale is left out before
rendering (it costs most of the time and shows as noise), and a picture that would be wider or
taller than cairo's and librsvg's 32 767 pixels is scaled down to fit, with a warning.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Optional, Union

from procmap.errors import RenderError
from procmap.files import write_atomic

FORMATS = (".svg", ".pdf", ".png")
RENDERERS = ("auto", "rsvg", "cairo")
#: The largest image side cairo and librsvg can make.
MAX_PX = 32767
_PHYSICAL = re.compile(r'<svg[^>]*\swidth="([0-9.]+)(mm|cm|in|pt)"')
_VIEWBOX = re.compile(r'<svg[^>]*\sviewBox="[-0-9.e]+ [-0-9.e]+ ([0-9.e]+) ([0-9.e]+)"')
_SIZE = re.compile(r'<svg[^>]*\swidth="([0-9.]+)(?:px)?"[^>]*\sheight="([0-9.]+)(?:px)?"')
_TEXT = re.compile(r'<text [^>]*?font-size="([0-9.]+)"[^>]*>[^<]*</text>')
_TITLE = re.compile(r"<title>[^<]*</title>")
_PER_INCH = {"mm": 25.4, "cm": 2.54, "in": 1.0, "pt": 72.0}


def _cairosvg():
    try:
        import cairosvg
    except ImportError as exc:  # pragma: no cover - cairosvg is a dependency
        raise RenderError("PDF and PNG need CairoSVG (pip install cairosvg); .svg works without it") from exc
    return cairosvg


def svg_to_pdf(svg: str) -> bytes:
    return _cairosvg().svg2pdf(bytestring=svg.encode("utf-8"))


def png_scale(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> tuple[float, float, float]:
    """(pixels per SVG unit, width, height in units) for a PNG at `dpi` or `width` pixels wide."""
    head = svg[:4000]
    box = _VIEWBOX.search(head)
    physical = _PHYSICAL.search(head)
    if box:
        w_units, h_units = float(box.group(1)), float(box.group(2))
    else:
        size = _SIZE.search(head)
        w_units, h_units = (float(size.group(1)), float(size.group(2))) if size else (1000.0, 1000.0)
    if width:
        return width / max(w_units, 1e-9), w_units, h_units
    if physical:  # a page of a physical size (a poster in mm): dpi sets the pixels
        inches = float(physical.group(1)) / _PER_INCH[physical.group(2)]
        return inches * dpi / max(w_units, 1e-9), w_units, h_units
    return dpi / 96.0, w_units, h_units


def prepare_png(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> tuple[str, float, list[str]]:
    """The SVG made ready for pixels: (svg, pixels per unit, notes). Scaled down to at most
    MAX_PX on either side; text that would be smaller than a pixel and tooltips left out."""
    scale, w_units, h_units = png_scale(svg, dpi=dpi, width=width)
    notes: list[str] = []
    biggest = max(w_units, h_units) * scale
    if biggest > MAX_PX:
        scale *= MAX_PX / biggest
        notes.append(f"the picture is {biggest:,.0f} pixels across at the resolution asked; "
                     f"made {MAX_PX:,} pixels across (PNG's limit here), use .svg or .pdf for full detail")
    if scale < 1.0:  # only then can a label be below a pixel (sizes are in units; 7 units is the smallest)
        svg = _TEXT.sub(lambda m: "" if float(m.group(1)) * scale < 1.0 else m.group(0), svg)
    svg = _TITLE.sub("", svg)
    return svg, scale, notes


def _rsvg(svg: str, scale: float, w_units: float, h_units: float, timeout: float) -> Optional[bytes]:
    exe = shutil.which("rsvg-convert")
    if exe is None:
        return None
    width = max(1, min(MAX_PX, round(w_units * scale)))
    height = max(1, min(MAX_PX, round(h_units * scale)))
    try:
        done = subprocess.run([exe, "-f", "png", "-w", str(width), "-h", str(height)], input=svg.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        return None
    return done.stdout


def svg_to_png(svg: str, *, dpi: float = 96.0, width: Optional[int] = None, renderer: str = "auto",
               notes: Optional[list[str]] = None, timeout: float = 600.0) -> bytes:
    """PNG at `dpi` (96 = one pixel per SVG px), or scaled to `width` pixels.

    `renderer`: "auto" (rsvg-convert when installed, else CairoSVG), "rsvg" or "cairo". What had
    to give (a picture too big for PNG) is added to `notes` and said as a warning.
    """
    if renderer not in RENDERERS:
        raise ValueError(f"unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
    ready, scale, said = prepare_png(svg, dpi=dpi, width=width)
    for note in said:
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    if notes is not None:
        notes.extend(said)
    _, w_units, h_units = png_scale(svg, dpi=dpi, width=width)
    if renderer in ("auto", "rsvg"):
        png = _rsvg(ready, scale, w_units, h_units, timeout)
        if png is not None:
            return png
        if renderer == "rsvg":
            raise RenderError("rsvg-convert is not installed or could not draw the picture "
                              "(Debian: apt-get install librsvg2-bin)")
    size = {"output_width": max(1, min(MAX_PX, round(w_units * scale))),
            "output_height": max(1, min(MAX_PX, round(h_units * scale)))}
    try:
        return _cairosvg().svg2png(bytestring=ready.encode("utf-8"), **size)
    except MemoryError as exc:  # pragma: no cover - depends on the machine
        raise RenderError("the picture is too big to draw as PNG here; use .svg or .pdf") from exc


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
