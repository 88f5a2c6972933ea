"""A lesson's instructions as HTML for its panel: paragraphs, ``- `` lists and ``**bold**``, everything else
escaped, so a lesson file's text is shown, never run (no links, images or scripts)."""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def instructions_html(text: str) -> str:
    """Paragraphs, ``- `` lists and ``**bold**`` as HTML; everything else escaped, so it is shown, never run."""
    blocks, items, para = [], [], []

    def inline(s: str) -> str:
        return _BOLD.sub(r"<b>\1</b>", html.escape(s, quote=False))

    def flush() -> None:
        if para:
            blocks.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("- "):
            if para:
                flush()
            items.append(stripped[2:].strip())
        elif items and line[:1].isspace():
            items[-1] += " " + stripped  # a list item continued on an indented line
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return "\n".join(blocks)
