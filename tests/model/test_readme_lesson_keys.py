"""The README's table of keys names as many Alt+N lesson keys as the Lessons menu gives (one per lesson panel)."""

from __future__ import annotations

from pathlib import Path

from visualizer.model.panels import LESSON_PANELS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_one_alt_key_per_lesson_of_the_menu():
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| Alt+1")]
    assert len(rows) == 1 and rows[0].startswith(f"| Alt+1 … Alt+{len(LESSON_PANELS)} |"), rows
