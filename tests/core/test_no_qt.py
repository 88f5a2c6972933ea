"""The core and data layers must run without Qt (napari keeps its layers apart the same way)."""

import subprocess
import sys


def test_core_data_model_and_cli_import_without_qt():
    code = (
        "import sys, visualizer.core, visualizer.data, visualizer.cli.commands, visualizer.core.reference.lecture, "
        "visualizer.model.state, visualizer.model.settings, visualizer.formats.storage, "
        "visualizer.core.analysis.stability, visualizer.core.analysis.contours\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'OpenGL'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt modules loaded by the core: {out.stdout.strip()}"
