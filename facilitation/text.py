"""Text written into documents people open elsewhere (Markdown, CSV cells)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(text) -> str:
    """A cell value a spreadsheet will not read as a formula: a leading ``=``, ``+``, ``-``,
    ``@`` (or tab, carriage return) gets a ``'`` before it, as OWASP advises for CSV."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def markdown_cell(text) -> str:
    """User text as one Markdown table cell: on one line, pipes escaped, never a formula."""
    flat = " ".join(neutral_cell(text).split())
    return flat.replace("\\", "\\\\").replace("|", "\\|")
