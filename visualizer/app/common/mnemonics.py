"""Keyboard mnemonics for menus (Alt+F, then a letter), as KDE's accelerator manager gives them: an item
written with its own (``&Quit``) keeps it; every other item gets the first letter of its text not yet taken
in its menu, a word's first letter before any other. Text that should show an '&' writes it '&&'."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu

#: '&' before a character that is not '&' or a space: that character is the mnemonic.
MNEMONIC = re.compile(r"(?<!&)(?:&&)*&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The mnemonic of ``text`` in lower case, or None."""
    found = MNEMONIC.search(text)
    return found.group(1).lower() if found else None


def with_mnemonics(texts: list[str]) -> list[str]:
    """``texts`` of one menu, each with a mnemonic unique among them where a free letter or digit is left."""
    taken = {m for m in map(mnemonic, texts) if m}
    out = []
    for text in texts:
        if not text or mnemonic(text):
            out.append(text)
            continue
        plain = text.replace("&&", "\0\0")  # a literal '&' is no letter to choose
        starts = [i for i, c in enumerate(plain) if c.isalnum() and (i == 0 or not plain[i - 1].isalnum())]
        others = [i for i, c in enumerate(plain) if c.isalnum() and c.isascii() and i not in starts]
        pick = next((i for i in starts + others if plain[i].isascii() and plain[i].lower() not in taken), None)
        if pick is None:
            out.append(text)
            continue
        taken.add(plain[pick].lower())
        out.append(text[:pick] + "&" + text[pick:])
    return out


def give_mnemonics(menu: QMenu) -> None:
    """Every item of ``menu`` and of its submenus with a mnemonic of its own (a menu filled as it opens:
    call again then)."""
    actions = [a for a in menu.actions() if not a.isSeparator()]
    for action, text in zip(actions, with_mnemonics([a.text() for a in actions]), strict=True):
        if text != action.text():
            action.setText(text)
        if action.menu() is not None:
            give_mnemonics(action.menu())
