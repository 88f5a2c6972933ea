"""`visualizer` with no arguments opens the window; `visualizer train ...` runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from .app.launch import launch

        return launch()
    from .cli import run_cli

    return run_cli(argv)


if __name__ == "__main__":
    sys.exit(main())
