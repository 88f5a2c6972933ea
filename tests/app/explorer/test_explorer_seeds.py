"""Seeds in the explorer's race: the seed column, the sentence from the measured runs and no empty slice pane."""

from visualizer.app.explorer.explorer import ExplorerWindow
from visualizer.core.analysis.race import RaceConfig
from visualizer.core.analysis.race_seeds import seed_groups
from visualizer.data.planar import as_dataset, load_planar


def test_a_networks_seeds_race_says_what_they_did_and_the_curves_take_the_slices_room(qtbot):
    flower = as_dataset(load_planar("planar:flower"))
    ex = ExplorerWindow(flower, None, {"loss": "cross-entropy", "init": "zeros", "seed": 0, "hidden": (4,),
                                       "activation": "tanh", "init_scale": 0.01})
    qtbot.addWidget(ex)
    ex.show()
    ex.config_table.set_configs([RaceConfig(alpha=1.2, seed=s) for s in (1, 2, 3)])
    ex.iterations.setValue(200)
    assert [ex.config_table.item(r, 7).text() for r in range(3)] == ["1", "2", "3"]
    ex.run_race()
    qtbot.waitUntil(lambda: ex.run_button.isEnabled() and not ex.job.isRunning(), timeout=30000)
    (group,) = seed_groups(ex.race)
    assert group.race.kind == "apart" and [r.gd.hidden for r in ex.race.runs] == [(4,)] * 3
    assert ex.race_note.isVisible() and ex.race_note.text().startswith(f"What the seeds did: {group.sentence()}")
    assert "No shared slice" in ex.race_note.text() and not ex.plots.slice_pane.isVisible()
    ex.config_table.set_configs([RaceConfig(alpha=1.2)])
    ex.run_race()  # one row without a seed: nothing to say about seeds, still no slice of a network
    qtbot.waitUntil(lambda: ex.run_button.isEnabled() and not ex.job.isRunning(), timeout=30000)
    assert ex.race_note.text().startswith("No shared slice") and ex.config_table.item(0, 7).text() == "same"
    ex.close()
