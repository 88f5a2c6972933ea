"""`visualizer train --seeds 1,2,3`: one model from several random starts, their final J side by side, and what
they did in one sentence (core/analysis/seeds.py): a network's may end in different minima, logistic
regression's reach one."""

from __future__ import annotations

from visualizer.core.analysis.seeds import ONE_MINIMUM, SeedRace, race_seeds
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import Dataset
from visualizer.model.settings import RunSettings


def seeds_problem(args, settings: RunSettings) -> str | None:
    """One line naming the flag when --seeds cannot run with the other flags, or None."""
    if len(args.alpha) > 1:
        return f"argument --seeds: races the seeds at one learning rate, not {len(args.alpha)}; give one --alpha"
    if settings.init == "zeros":
        return "argument --seeds: each seed draws a random start; give --init random too"
    if args.save:
        return "argument --save: --seeds trains one model per seed; save one run without --seeds"
    return None


def run_seeds(train: Dataset, test: Dataset | None, args, settings: RunSettings, optimizer: Optimizer
              ) -> tuple[list[dict], dict]:
    """Trains and prints the race; returns (the runs' JSON, the race's JSON)."""
    race = race_seeds(train.X, train.Y, args.seeds, alpha=args.alpha[0], iterations=args.iterations,
                      hidden=settings.hidden, activation=settings.activation, init_scale=settings.init_scale,
                      loss=settings.loss, optimizer=optimizer, X_test=None if test is None else test.X,
                      Y_test=None if test is None else test.Y)
    _print(race, test is not None)
    runs = [{
        "seed": r.seed,
        "alpha": args.alpha[0],
        "iterations": r.iterations,
        "costs": [float(c) for c in r.costs[:: max(args.print_every // r.stride, 1)]],
        "cost_every": r.stride * max(args.print_every // r.stride, 1),
        "final_cost": r.final_cost,
        "last_tenth_change": r.last_tenth_change,
        "train_accuracy": r.train_accuracy,
        "test_accuracy": r.test_accuracy,
        "diverged": r.diverged,
        "settings": {"alpha": args.alpha[0], "iterations": args.iterations, "print_every": args.print_every,
                     "loss": settings.loss, "init": settings.init, "seed": r.seed, **optimizer.to_dict(),
                     "batch_size_used": optimizer.batch(train.m)},
        "printed_costs": "J before every cost_every-th step (a batch's J_reg for mini-batches)",
    } for r in race.runs]
    summary = {"kind": race.kind, "sentence": race.sentence(), "spread": race.spread, "drift": race.drift,
               "one_minimum_within": ONE_MINIMUM}
    return runs, summary


def _print(race: SeedRace, with_test: bool) -> None:
    print(f"{'seed':>10}  {'final cost':>12}  {'train accuracy':>15}  {'test accuracy':>14}")
    for r in race.runs:
        test = "-" if not with_test else f"{r.test_accuracy:.7g} %"
        stopped = f"  (stopped at iteration {r.iterations})" if r.diverged else ""
        print(f"{r.seed:>10}  {r.final_cost:>12.6f}  {r.train_accuracy:>13.7g} %  {test:>14}{stopped}")
    print(f"what the seeds did: {race.sentence()}")
