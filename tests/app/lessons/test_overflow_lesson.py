"""A lesson whose settings overflow (Adam, α = 1e6, ε = 1e-300, β₂ = 0, batch 1: inside every range) opens
on its last finite iteration, says which setting made the step overflow, and every panel draws (issue 21.3)."""

from __future__ import annotations

import numpy as np

from tests.app.lessons.test_lesson_files_window import opened, write

LESSON = """title = "Adam overflows"
iterations = 20
[settings]
alpha = 1e6
optimizer = "adam"
beta1 = 0.999
beta2 = 0
epsilon = 1e-300
batch_size = 1
"""


def test_the_overflowing_lesson_stops_finite_and_names_epsilon(window, qtbot, tmp_path):
    opened(window, qtbot, write(tmp_path, LESSON))
    gd = window.controller.gd
    assert gd.halted and gd.iteration < 20
    assert np.isfinite(gd.cost) and np.isfinite(gd.z).all()
    notice = window.state.notice
    assert notice is not None and notice.kind == "warning", notice
    assert notice.text == (f"The step overflowed at iteration {gd.iteration}: Adam with ε = 1e-300 and β₂ = 0 "
                           "divides by √s + ε ≈ 1e-300. Change that setting to go on.")
    window.controller.start()  # Train: it stops at once, with the same sentence, and nothing fails
    qtbot.waitUntil(lambda: not window.controller.running, timeout=20000)
    window.refresh(force=True)
    qtbot.wait(200)
    assert window.state.notice is not None and "overflowed" in window.state.notice.text
    assert "wrong" not in window.state.notice.text
    assert "J = nan" not in window.statusBar().currentMessage()
