"""What a race's seeds did: the runs that differ only in their seed, judged by the seed race's own rule.

A row with a seed starts from that seed's random start (core/analysis/race.py). Runs alike in every other
setting form one group, and each group of two seeds or more is judged as ``visualizer train --seeds`` judges
its runs (core/analysis/seeds.py): "one minimum" when their final J agree within ONE_MINIMUM, "different
minima" when they differ by over APART times what any run still moved over its last tenth of iterations.
Both figures are rows the race recorded (every run keeps a row where its last tenth starts), so the
sentence is true of the runs on screen, read back from a session too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from visualizer.core.analysis.race import Race, RaceConfig, RaceRun
from visualizer.core.analysis.seeds import SeedRace, SeedRun


@dataclass(frozen=True)
class SeedGroup:
    """Runs alike but for their seed: ``race`` when every one has ended (its budget, or a halt), else None."""

    config: RaceConfig  # the shared settings, seed None
    seeds: tuple[int, ...]
    race: SeedRace | None

    def sentence(self) -> str:
        who = f"{self.config.label()}, seeds {', '.join(map(str, self.seeds))}"
        if self.race is None:
            return f"{who}: not every seed has run its iterations yet; run the race to the end to compare them."
        return f"{who}: {self.race.sentence()}."


def seed_groups(race: Race) -> list[SeedGroup]:
    """Each group of two or more runs that differ only in their seed, in the order their first run joined."""
    groups: dict[RaceConfig, list[RaceRun]] = {}
    for run in race.runs:
        if run.config.seed is not None:
            groups.setdefault(replace(run.config, seed=None), []).append(run)
    out = []
    for config, runs in groups.items():
        if len(runs) < 2:
            continue
        seed_runs = [_seed_run(race, run) for run in runs]
        judged = None if any(r is None for r in seed_runs) else SeedRace(tuple(seed_runs))
        out.append(SeedGroup(config, tuple(run.config.seed for run in runs), judged))
    return out


def _halted(run: RaceRun) -> bool:
    """Its next step overflowed: a halt marks the iteration after the last one run (RaceRun.verdict's rule)."""
    return (run.diverged_at or -1) > run.iteration


def _seed_run(race: Race, run: RaceRun) -> SeedRun | None:
    """The run as the seed rule reads it (full J_reg rows), or None while it has neither ended nor halted."""
    its, costs = run.rows("train_cost")
    halted = _halted(run)
    if not its.size or (int(its[-1]) < race.iterations and not halted):
        return None
    at_mark = np.flatnonzero(its == race.tenth_mark)
    drift = abs(float(costs[-1]) - float(costs[at_mark[0]])) if at_mark.size and race.iterations else np.inf
    _, train = run.rows("train_accuracy")
    _, test = run.rows("test_accuracy")
    return SeedRun(run.config.seed, run.history.costs.values, run.history.costs.stride, float(costs[-1]), drift,
                   int(its[-1]), halted, float(train[-1]), float(test[-1]) if test.size == its.size else None)
