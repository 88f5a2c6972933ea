"""The themes, by name, for the window (View > Theme) and for pictures (`visualizer screenshot --theme`),
without Qt: the command line checks a name before any window is made."""

from __future__ import annotations

#: What View > Theme offers: 'system' follows the desktop's colour scheme.
THEMES = ("system", "light", "dark")
#: What a picture is drawn in: one look on every machine, whatever its desktop's scheme.
PICTURE_THEMES = ("light", "dark")
