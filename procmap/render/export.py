"""SVG to files: .svg as is, .pdf through CairoSVG, .png through librsvg's rsvg-convert when it is
installed (several times faster on large pictures) or CairoSVG (fonts from the system: DejaVu Sans).

A PNG is made for its pixels: text smaller than a pixel at the output scale is left out before
rendering (it costs most of the time and shows as noise), and a picture that would be wider or
taller than cairo's and librsvg's 32 767 pixels (or hold more than 64 million) is scaled down to
fit, with a note.
"""

from __future__ import annotations

import re
import shutil
import subprocess
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


#: Above this many bytes of SVG a PDF is made by rsvg-convert when installed: CairoSVG takes minutes there.
RSVG_PDF_FROM = 400_000


def svg_to_pdf(svg: str, *, timeout: float = 600.0) -> bytes:
    """A PDF of the picture: CairoSVG, or librsvg's rsvg-convert for large pictures when it is installed."""
    if len(svg) > RSVG_PDF_FROM:
        exe = shutil.which("rsvg-convert")
        if exe is not None:
            try:
                done = subprocess.run([exe, "-f", "pdf"], input=svg.encode("utf-8"), capture_output=True,
                                      timeout=timeout, check=False)
            except (OSError, subprocess.TimeoutExpired):
                done = None
            if done is not None and done.returncode == 0 and done.stdout.startswith(b"%PDF"):
                return done.stdout
    return _cairosvg().svg2pdf(bytestring=svg.encode("utf-8"))


#: The most pixels a PNG may have (about 256 MB while it is drawn): larger ones are scaled down.
MAX_PNG_PIXELS = 64_000_000


def png_scale(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> tuple[float, float, float]:
    """(pixels per SVG unit, width, height in units) for a PNG at `dpi` or `width` pixels wide."""
    head = svg[:4000]
    box = _VIEWBOX.search(head)
    physical = _PHYSICAL.search(head)
    if box:
        w_units, h_units = float(box.group(1)), float(box.group(2))
    else:
        size = _SIZE.search(head)
        w_units, h_units = (float(size.group(1)), float(size.group(2))) if size else (0.0, 0.0)
    if width:
        return width / max(w_units, 1e-9), w_units, h_units
    if physical:  # a page of a physical size (a poster in mm): dpi sets the pixels
        inches = float(physical.group(1)) / _PER_INCH[physical.group(2)]
        return inches * dpi / max(w_units, 1e-9), w_units, h_units
    return dpi / 96.0, w_units, h_units


def prepare_png(svg: str, *, dpi: float = 96.0, width: Optional[int] = None) -> tuple[str, float, list[str]]:
    """The SVG made ready for pixels: (svg, pixels per unit, notes). Scaled down to at most
    MAX_PX on either side and MAX_PNG_PIXELS in all; text that would be smaller than a pixel
    and tooltips left out."""
    scale, w_units, h_units = png_scale(svg, dpi=dpi, width=width)
    w, h = w_units * scale, h_units * scale
    if not (w >= 1 and h >= 1):
        raise RenderError("the picture has no size; nothing to write as PNG")
    notes: list[str] = []
    fit = min(1.0, MAX_PX / max(w, h), (MAX_PNG_PIXELS / (w * h)) ** 0.5)
    if fit < 1.0:
        scale *= fit
        notes.append(f"the PNG would be {w:,.0f} x {h:,.0f} px, more than a PNG should hold; scaled down to "
                     f"{max(1, int(w * fit)):,} x {max(1, int(h * fit)):,} px (use .svg or .pdf for full detail)")
    if scale < 1.0:  # only then can a label be below a pixel (procmap writes no text below 7 units)
        svg = _TEXT.sub(lambda m: "" if float(m.group(1)) * scale < 1.0 else m.group(0), svg)
    svg = _TITLE.sub("", svg)
    return svg, scale, notes


def _rsvg(svg: str, width: int, height: int, timeout: float) -> Optional[bytes]:
    exe = shutil.which("rsvg-convert")
    if exe is None:
        return None
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

    `renderer`: "auto" (rsvg-convert when installed, else CairoSVG), "rsvg" or "cairo". A PNG
    larger than cairo can make (32 767 px a side) or than memory should hold (64 million
    pixels) is scaled down to fit, and a note saying so is added to `notes`; a picture of no
    size is refused.
    """
    if renderer not in RENDERERS:
        raise ValueError(f"unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
    ready, scale, said = prepare_png(svg, dpi=dpi, width=width)
    if notes is not None:
        notes.extend(said)
    _, w_units, h_units = png_scale(svg, dpi=dpi, width=width)
    w_px = max(1, min(MAX_PX, int(w_units * scale + 0.5)))
    h_px = max(1, min(MAX_PX, int(h_units * scale + 0.5)))
    if renderer in ("auto", "rsvg"):
        png = _rsvg(ready, w_px, h_px, timeout)
        if png is not None:
            return png
        if renderer == "rsvg":
            raise RenderError("rsvg-convert is not installed or could not draw the picture "
                              "(Debian: apt-get install librsvg2-bin)")
    try:
        return _cairosvg().svg2png(bytestring=ready.encode("utf-8"), output_width=w_px, output_height=h_px)
    except MemoryError as exc:  # pragma: no cover - depends on the machine
        raise RenderError("the picture is too big to draw as PNG here; use .svg or .pdf") from exc


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
