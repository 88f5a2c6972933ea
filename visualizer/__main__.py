"""`visualizer [PATH]` opens the window; `visualizer train ...` and the other commands run the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    try:
        from visualizer.cli.commands import run_cli
    except KeyboardInterrupt:  # Ctrl+C while the program is still loading: as clean as later on
        print("visualizer: interrupted", file=sys.stderr)
        return 130

    return run_cli(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
