"""The Controls offer every optimizer of the registry, show the rows of its hyperparameters only, and say plainly
what its edge of stability is, or why it has none."""

from __future__ import annotations

from visualizer.core.optim.registry import HYPERS, SPECS


def test_each_optimizer_shows_its_own_rows_and_edge(window, qtbot):
    c, label = window.controls.optimizer, window.controls.edge_label
    assert [c.optimizer.itemData(i) for i in range(c.optimizer.count())] == list(SPECS)
    for kind, spec in SPECS.items():
        c.optimizer.setCurrentIndex(c.optimizer.findData(kind))
        assert window.state.settings.optimizer == kind and c.optimizer.currentText() == spec.label
        shown = {k for k in HYPERS if c.rows[k][1].isVisibleTo(window.controls)}
        assert shown == {h.name for h in spec.hyper}, kind
        qtbot.waitUntil(lambda spec=spec: (spec.no_edge or spec.edge_formula) in label.text())
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))  # never clipped
