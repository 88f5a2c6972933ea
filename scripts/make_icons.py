"""Render assets/icon.svg to the PNG sizes desktops ask for (assets/icons/NxN.png).

    python scripts/make_icons.py

The PNGs are committed, so neither the window nor `visualizer install-desktop` needs
an SVG renderer at run time. Run this again after editing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
SIZES = (16, 32, 48, 64, 128, 256)  # visualizer.fs.resources.ICON_SIZES


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is shown
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (QPainter needs one)
    renderer = QSvgRenderer(str(ASSETS / "icon.svg"))
    if not renderer.isValid():
        print(f"make_icons: {ASSETS / 'icon.svg'} is not a valid SVG", file=sys.stderr)
        return 1
    out_dir = ASSETS / "icons"
    out_dir.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"{size}x{size}.png"
        if not image.save(str(path)):
            print(f"make_icons: could not write {path}", file=sys.stderr)
            return 1
        print(path.relative_to(ASSETS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
