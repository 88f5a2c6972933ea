"""Budget 0 stops once J has not gone 1e-7 below its lowest in 200 iterations, and says where that lowest was."""

from visualizer.app.run.plateau import PLATEAU_ITERATIONS, Plateau


def test_j_still_falling_goes_on_and_a_flat_j_stops_naming_its_lowest():
    p = Plateau(0, 1.0)
    assert all(p.after(i, 1.0 - 1e-3 * i) is None for i in range(1, 300))  # falling: never flat
    lowest = 1.0 - 1e-3 * 299
    assert all(p.after(299 + k, lowest) is None for k in range(1, PLATEAU_ITERATIONS))
    said = p.after(299 + PLATEAU_ITERATIONS, lowest + 1e-9)
    assert said == (f"J has not gone 1e-07 below its lowest, {lowest:.6g} at iteration 299, in 200 iterations: "
                    "stopped at iteration 499.")
