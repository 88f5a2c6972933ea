"""`visualizer train --layers ...`: a network (core/models) trained by any optimizer of the lab, printed as the
course's notebooks print it ("Cost after iteration i: J"), with the JSON of a logistic run plus the model.

Plain full-batch descent runs on the network's fast loop; every other optimizer, batch size or decay on
core/optim's chain over the flat θ (core/models/optimized.py). A mini-batch run prints the full J_reg at
every K-th iteration, as logistic regression's does."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.cli.output import tell_outcome, verdict_json
from visualizer.core.analysis.verdicts import Verdict, judge, judge_at
from visualizer.core.engine.metrics import cost_text
from visualizer.core.models import Network, get_model, initial_parameters, network_accuracy
from visualizer.core.models.network import cost as network_cost
from visualizer.core.models.optimized import NetworkOptimized, network_trainer
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import Dataset
from visualizer.model.constraints import MODEL_SETTINGS, TABLE
from visualizer.model.settings import RunSettings, hidden_problem


def model_problem(settings: RunSettings, args, n_x: int) -> str | None:
    """One line (naming the flag) when the flags ask for what the model cannot do (yet), or None; a network
    too large to train is refused as the window refuses it (--layers 10000,10000 on the demo set: 222 million
    parameters, gigabytes, before any iteration)."""
    if not settings.hidden:
        given = [key for key in MODEL_SETTINGS if key != "hidden" and getattr(args, key) is not None]
        if given:
            return f"argument {TABLE[given[0]].flag}: applies to a network's hidden layers; give --layers too"
    if problem := hidden_problem(settings.hidden, n_x):
        return f"argument {TABLE['hidden'].flag}: {problem}"
    return None


def network_of(settings: RunSettings, n_x: int) -> Network:
    return Network(n_x, settings.hidden, activation=settings.activation, loss=settings.loss, lam=settings.lam)


def model_summary(settings: RunSettings, n_x: int) -> dict:
    """The model in the JSON: which one, its layers and how it starts."""
    if not settings.hidden:
        return {"name": "logistic", "label": get_model("logistic").label, "layer_dims": [n_x, 1]}
    net = network_of(settings, n_x)
    return {"name": "network", "label": get_model("network").label, "layer_dims": list(net.sizes),
            "hidden": list(settings.hidden), "activation": settings.activation, "init": settings.init,
            "init_scale": settings.init_scale, "parameters": net.size}


def run_network(train: Dataset, test: Dataset | None, alpha: float, args, settings: RunSettings,
                optimizer: Optimizer, steps: Callable[[object, int, str], None]) -> tuple[dict, NetworkTrained]:
    """One α from the seeded start; prints the course's lines and returns the run's JSON summary, and what a
    model file keeps of it."""
    started = time.perf_counter()
    net = network_of(settings, train.n_x)
    theta0 = initial_parameters(net, settings.init, settings.seed, settings.init_scale)
    mini = optimizer.batch(train.m) < train.m
    run = network_trainer(net, train.X, train.Y, theta0, alpha=alpha, optimizer=optimizer, seed=settings.seed,
                          record_every=args.print_every if mini else None)
    steps(run, args.iterations, f"alpha {alpha:g}: " if len(args.alpha) > 1 else "")
    seconds = time.perf_counter() - started
    if mini:
        its, printed = [i for i, _ in run.recorded], [J for _, J in run.recorded]
    else:
        its, printed = range(0, run.iteration, args.print_every), run.costs[:: args.print_every]
    for i, cost in zip(its, printed, strict=True):
        print(f"Cost after iteration {i}: {cost_text(cost)}")
    if run.iteration < args.iterations:
        print(f"stopped: {run.overflow}" if isinstance(run, NetworkOptimized) else
              f"stopped at iteration {run.iteration}: with alpha = {alpha:g} the next step overflows")
    theta = run.theta
    with np.errstate(all="ignore"):  # the fast loop stops at the first iteration whose J is not finite
        final = run.cost()
        train_accuracy = network_accuracy(net, theta, train.X, train.Y)
        test_accuracy = None if test is None else network_accuracy(net, theta, test.X, test.Y)
        test_cost = None if test is None else network_cost(net, theta, test.X, test.Y)
    verdict = _verdict(run, mini, final)
    tell_outcome(verdict, train_accuracy, test_accuracy, test is not None)
    metrics = {"train_cost": final, "train_accuracy": train_accuracy, "test_cost": test_cost,
               "test_accuracy": test_accuracy}
    return {
        "alpha": alpha,
        "iterations": run.iteration,
        "costs": [float(c) for c in printed],
        "final_cost": final,
        "train_accuracy": train_accuracy,
        "test_accuracy": test_accuracy,
        "test_cost": test_cost,
        "diverged": verdict.diverged,
        "verdict": verdict_json(verdict),
        "train_seconds": seconds,
        "settings": {"alpha": alpha, "iterations": args.iterations, "print_every": args.print_every,
                     "loss": settings.loss, "init": settings.init, "seed": settings.seed, **optimizer.to_dict(),
                     "batch_size_used": optimizer.batch(train.m), **_model_settings(settings)},
        "method": run.method,
        "path_reason": _path_reason(run),
        "printed_costs": "full J_reg at the stride (mini-batches)" if mini else "J_reg of each printed iteration",
    }, NetworkTrained(net, theta, [(0, alpha)], metrics)


@dataclass(frozen=True)
class NetworkTrained:
    """What `--save` writes of a network's run: its layers, θ at the end, its α and its figures."""

    net: Network
    theta: np.ndarray
    alpha_changes: list[tuple[int, float]]
    metrics: dict


def _verdict(run, mini: bool, final: float) -> Verdict:
    """What J did, as a logistic run's verdict says it: J at every iteration and after the last step (the full
    J_reg at the stride for mini-batches). The fast loop stops at the first iteration whose J is not finite;
    the optimizers' loop one before, where the next step would overflow."""
    halted = None if not run.diverged else run.iteration + isinstance(run, NetworkOptimized)
    if mini:
        its, values = [i for i, _ in run.recorded], [J for _, J in run.recorded]
        return judge_at([*its, run.iteration], [*values, final], halted)
    return judge(np.append(run.costs, final), 0, 1, halted)


def _path_reason(run) -> str:
    if isinstance(run, NetworkOptimized):
        return f"{run.method}: {run.path_reason} (through core/optim's chain; W1 plays w's part)"
    if run.method == "gram":
        return "gram: W1 stays in W1₀ + span(xᵢ) and m < n_x, so Z1 comes from K = XᵀX"
    return "primal: W1 is stepped as it is"


def _model_settings(settings: RunSettings) -> dict:
    return {key: list(v) if isinstance(v := getattr(settings, key), tuple) else v for key in MODEL_SETTINGS}
