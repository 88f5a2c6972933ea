"""The race's table of configurations on its own (no window): the hidden layers column, whole and checked."""

from visualizer.app.explorer.race_table import ConfigTable
from visualizer.core.analysis.race import PRESETS


def test_the_hidden_layers_column_fits_a_1024_px_explorer_and_keeps_what_is_typed_whole(qtbot):
    """At 100 px a column the nine columns were 900 px, wider than the table's room in a 1024 x 768 explorer:
    "hidden layers" was cut at its edge. Each column is now as wide as its heading and cells."""
    table = ConfigTable(400)
    qtbot.addWidget(table)
    problems = []
    table.problem.connect(problems.append)
    table.set_configs(PRESETS["Hidden units 1 to 5"][0])
    header = table.horizontalHeader()
    assert table.horizontalHeaderItem(8).text() == "hidden layers" and table.currentRow() == 0
    assert [table.item(r, 8).text() for r in range(5)] == ["1", "2", "3", "4", "5"]
    assert all(header.sectionSize(c) >= header.sectionSizeFromContents(c).width() for c in range(9))
    assert header.length() < 860  # the table's width in a 1024 px explorer, less its scroll bar
    item = table.item(0, 8)
    item.setText(" 20, 7,5")
    assert item.text() == "20,7,5" and table.configs()[0].hidden == (20, 7, 5) and problems[-1] == ""
    assert header.sectionSize(8) >= table.sizeHintForColumn(8)
    item.setText("none")
    assert item.text() == "none" and table.configs()[0].hidden == ()
    item.setText("0")
    assert item.text() == "none" and problems[-1].startswith("Row 1, hidden layers: the hidden layer sizes must be")
    item.setText("same")
    assert table.configs()[0].hidden is None and [c.hidden for c in table.configs()[1:]] == [(2,), (3,), (4,), (5,)]
