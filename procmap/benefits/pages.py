"""Printable A4 pages as SVG, and the pages as one PDF (CairoSVG; no browser needed).

A small flow composer: headings, paragraphs, tables and pictures go down the page and on
to the next one when the page is full. Text is measured with procmap's font metrics
(:mod:`procmap.layout.text`), so lines are wrapped, never cut.
"""

from __future__ import annotations

import io
from typing import Optional, Sequence

from lxml import etree

from procmap.errors import RenderError
from procmap.layout import text as tx
from procmap.render import svg as sv

# A4 landscape in CSS pixels (96 per inch), printed as 297 x 210 mm (a page may be turned upright).
PAGE_W, PAGE_H, MARGIN = 1123.0, 794.0, 48.0
LINE = 1.3


class Pages:
    """SVG pages filled from the top; ``pages()`` returns them as complete documents."""

    def __init__(self, font: str, ink: str = "#1f2933", accent: str = "#102a43", muted: str = "#616e7c",
                 footer: str = ""):
        self.font, self.ink, self.accent, self.muted, self.footer = font, ink, accent, muted, footer
        self._done: list[tuple[str, bool]] = []
        self._body: list[str] = []
        self.y = MARGIN
        self.portrait = False

    @property
    def size(self) -> tuple[float, float]:
        return (PAGE_H, PAGE_W) if self.portrait else (PAGE_W, PAGE_H)

    @property
    def width(self) -> float:
        return self.size[0] - 2 * MARGIN

    def room(self) -> float:
        return self.size[1] - MARGIN - 20 - self.y

    def new_page(self, portrait: bool = False) -> None:
        """The next page (turned upright for a tall picture such as the benefit map)."""
        if self._body:
            self._done.append(("".join(self._body), self.portrait))
        self._body, self.y, self.portrait = [], MARGIN, portrait

    def _need(self, height: float) -> None:
        if height > self.room() and self.y > MARGIN:
            self.new_page()

    def text(self, value: str, size: float = 13.0, *, bold: bool = False, colour: Optional[str] = None,
             indent: float = 0.0, gap: float = 4.0) -> None:
        for line in tx.wrap(value, self.width - indent, size, bold) or []:
            self._need(size * LINE)
            self._body.append(sv.text(MARGIN + indent, self.y + size, line, size, fill=colour or self.ink,
                                      font_weight="bold" if bold else None))
            self.y += size * LINE
        self.y += gap

    def heading(self, value: str, size: float = 20.0) -> None:
        self._need(size * LINE + 60)  # a heading stays with what follows it
        self.y += 6
        self.text(value, size, bold=True, colour=self.accent, gap=6)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              size: float = 11.0, numeric: Sequence[bool] = ()) -> None:
        """A table with wrapped cells; ``widths`` are shares of the page width. The head repeats on a new page."""
        total = sum(widths)
        cols = [w / total * self.width for w in widths]
        numeric = list(numeric) + [False] * (len(cols) - len(numeric))

        def row(cells: Sequence[str], bold: bool, fill: Optional[str]) -> None:
            wrapped = [tx.wrap(str(c), w - 10, size, bold) or [""] for c, w in zip(cells, cols)]
            height = max(len(w) for w in wrapped) * size * LINE + 8
            if height > self.room() and self.y > MARGIN:
                self.new_page()
                if not bold:
                    row(head, True, "#eef2f7")
            if fill:
                self._body.append(sv.rect(MARGIN, self.y, self.width, height, fill=fill))
            x = MARGIN
            for lines, w, right in zip(wrapped, cols, numeric):
                for k, line in enumerate(lines):
                    base = self.y + 4 + size + k * size * LINE
                    if right and not bold:
                        self._body.append(sv.text(x + w - 5, base, line, size, text_anchor="end", fill=self.ink))
                    else:
                        self._body.append(sv.text(x + 5, base, line, size, fill=self.ink,
                                                  font_weight="bold" if bold else None))
                x += w
            self.y += height
            self._body.append(sv.line(MARGIN, self.y, MARGIN + self.width, self.y, stroke="#d5dbe3"))

        row(head, True, "#eef2f7")
        for cells in rows:
            row(cells, False, None)
        self.y += 10

    def picture(self, svg: str, max_height: Optional[float] = None) -> None:
        """An SVG document scaled to the page width (and to ``max_height``, else the rest of a page)."""
        root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        box = [float(v) for v in (root.get("viewBox") or "0 0 100 100").replace(",", " ").split()]
        w, h = box[2], box[3]
        limit = min(max_height or self.size[1], self.size[1] - 2 * MARGIN - 20)
        scale = min(self.width / w, limit / h)
        self._need(h * scale)
        for key in ("x", "y", "width", "height", "preserveAspectRatio"):
            root.attrib.pop(key, None)
        root.set("x", sv.num(MARGIN + (self.width - w * scale) / 2))
        root.set("y", sv.num(self.y))
        root.set("width", sv.num(w * scale))
        root.set("height", sv.num(h * scale))
        self._body.append(etree.tostring(root, encoding="unicode"))
        self.y += h * scale + 12

    def pages(self) -> list[str]:
        self.new_page()
        out = []
        for n, (body, portrait) in enumerate(self._done, start=1):
            w, h = (PAGE_H, PAGE_W) if portrait else (PAGE_W, PAGE_H)
            foot = sv.text(w - MARGIN, h - MARGIN / 2, f"{self.footer}  {n}/{len(self._done)}".strip(),
                           10.0, text_anchor="end", fill=self.muted)
            out.append(sv.document(body + foot, w, h, font=self.font, background="#ffffff",
                                   width_attr="210mm" if portrait else "297mm",
                                   height_attr="297mm" if portrait else "210mm"))
        return out


def pdf(pages: Sequence[str]) -> bytes:
    """SVG pages as one PDF, a page each, drawn by CairoSVG onto one cairo PDF surface."""
    try:
        import cairocffi as cairo
        from cairosvg.parser import Tree
        from cairosvg.surface import PDFSurface
    except ImportError as exc:  # pragma: no cover - cairosvg is a dependency
        raise RenderError("a PDF needs CairoSVG (pip install cairosvg)") from exc

    buf = io.BytesIO()
    target = cairo.PDFSurface(buf, 1, 1)

    class Page(PDFSurface):  # draws on the shared surface instead of making one per document
        def _create_surface(self, width, height):
            target.set_size(width, height)
            return target, width, height

    for page in pages:
        Page(Tree(bytestring=page.encode("utf-8")), None, 96)
        target.show_page()
    target.finish()
    return buf.getvalue()


__all__ = ["PAGE_H", "PAGE_W", "Pages", "pdf"]
