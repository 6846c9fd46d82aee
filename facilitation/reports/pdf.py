"""HTML to PDF with WeasyPrint: a tagged PDF/UA-1 document (structure tree, language, title,
bookmarks from the headings), charts and maps kept as vectors (inline SVG), page numbers and a
linked table of contents from CSS (``static/css/report-print.css``), Italian hyphenation
(pyphen, from ``lang`` and ``hyphens: auto``).

WeasyPrint is CPU-bound Python: it runs in the report builder's own process (``jobs``), never
in a server process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = ROOT / "static" / "css" / "report-print.css"
VARIANT = "pdf/ua-1"


def write(html: str, target: Path, progress: Callable[[str], None] | None = None) -> int:
    """Lay out ``html`` and write it to ``target`` as PDF/UA-1; returns the number of pages."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(string=html, base_url=str(ROOT)).render(
        stylesheets=[CSS(filename=str(STYLESHEET), font_config=fonts)], font_config=fonts, pdf_variant=VARIANT)
    if progress:
        progress("write")
    document.write_pdf(target, pdf_variant=VARIANT)
    return len(document.pages)
