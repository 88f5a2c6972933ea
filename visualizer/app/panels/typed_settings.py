"""Settings typed into a Controls group go through the constraint table: a refused value puts the setting back
in its field, and the group's note says why until the next change. The Model and Optimizer groups share this."""

from __future__ import annotations

from visualizer.model.constraints import parse
from visualizer.model.settings import SettingsError


class TypedSettings:
    """A mixin for a group with ``state``, ``note`` and ``show_settings(settings)``."""

    refused = ""  # why the last typed value was refused, until the next change

    def _noted(self, text: str) -> None:
        """The group's note: ``text``, after why a typed value was not taken if one was just refused."""
        self.note.setText(f"Not changed: {self.refused}. {text}" if self.refused else text)
        self.refused = ""

    def _send(self, **changes) -> None:
        try:
            self.state.change_settings(**changes)
        except SettingsError as exc:
            self._refuse(exc.reason)

    def _refuse(self, reason: str) -> None:
        self.refused = reason
        self.show_settings(self.state.settings)

    def _enter(self, key: str, text: str, *, empty: tuple[str, ...] = ()) -> None:
        """The setting ``key`` typed as ``text`` (one of ``empty``: None), if it parses and differs."""
        try:
            value = None if text.strip() in empty else parse(key, text)
        except ValueError as exc:
            self._refuse(str(exc))
            return
        if value != getattr(self.state.settings, key):
            self._send(**{key: value})
