"""`visualizer train --layers ...`: a network (core/models) trained by full-batch gradient descent, printed as the
course's notebooks print it ("Cost after iteration i: J"), with the JSON of a logistic run plus the model."""

from __future__ import annotations

import time
from collections.abc import Callable

from visualizer.core.models import Network, NetworkDescent, get_model, initial_parameters, network_accuracy
from visualizer.core.models.network import cost as network_cost
from visualizer.data import Dataset
from visualizer.model.constraints import MODEL_SETTINGS, RUN, TABLE
from visualizer.model.settings import RunSettings

#: What the network's fast loop does not do yet, and how to tell it was asked: (setting, asked?, in words).
NOT_YET: tuple[tuple[str, Callable[[RunSettings, int], bool], str], ...] = (
    ("optimizer", lambda s, m: s.optimizer != "gd", "optimizers other than gd are"),
    ("batch_size", lambda s, m: s.batch_size is not None and s.batch_size < m, "mini-batches are"),
    ("decay", lambda s, m: s.decay != 0, "learning-rate decay is"),
)


def model_problem(settings: RunSettings, args, m: int) -> str | None:
    """One line (naming the flag) when the flags ask for what the model cannot do (yet), or None."""
    if not settings.hidden:
        given = [key for key in MODEL_SETTINGS if key != "hidden" and getattr(args, key) is not None]
        if given:
            return f"argument {TABLE[given[0]].flag}: applies to a network's hidden layers; give --layers too"
        return None
    for key, asked, what in NOT_YET:
        if asked(settings, m):
            return (f"argument {RUN[key].flag}: {what} not supported yet with --layers "
                    "(a network trains by full-batch gradient descent, with L2 through --lambda)")
    if args.save:
        return "argument --save: saving a network is not supported yet"
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
                steps: Callable[[NetworkDescent, int, str], None]) -> dict:
    """One α from the seeded start; prints the course's lines and returns the run's JSON summary."""
    started = time.perf_counter()
    net = network_of(settings, train.n_x)
    theta0 = initial_parameters(net, settings.init, settings.seed, settings.init_scale)
    run = NetworkDescent(net, train.X, train.Y, theta0, alpha=alpha)
    steps(run, args.iterations, f"alpha {alpha:g}: " if len(args.alpha) > 1 else "")
    seconds = time.perf_counter() - started
    printed = run.costs[:: args.print_every]
    for i, cost in zip(range(0, run.iteration, args.print_every), printed, strict=True):
        print(f"Cost after iteration {i}: {cost:f}")
    if run.iteration < args.iterations:
        print(f"stopped at iteration {run.iteration}: with alpha = {alpha:g} the next step overflows")
    theta = run.theta
    train_accuracy = network_accuracy(net, theta, train.X, train.Y)
    print(f"train accuracy: {train_accuracy} %")
    test_accuracy = test_cost = None
    if test is not None:
        test_accuracy = network_accuracy(net, theta, test.X, test.Y)
        test_cost = network_cost(net, theta, test.X, test.Y)
        print(f"test accuracy: {test_accuracy} %")
    return {
        "alpha": alpha,
        "iterations": run.iteration,
        "costs": [float(c) for c in printed],
        "final_cost": run.cost(),
        "train_accuracy": train_accuracy,
        "test_accuracy": test_accuracy,
        "test_cost": test_cost,
        "diverged": run.diverged,
        "train_seconds": seconds,
        "settings": {"alpha": alpha, "iterations": args.iterations, "print_every": args.print_every,
                     "loss": settings.loss, "init": settings.init, "seed": settings.seed, "optimizer": "gd",
                     "lam": settings.lam, "batch_size_used": train.m, **_model_settings(settings)},
        "method": run.method,
        "path_reason": ("gram: W1 stays in W1₀ + span(xᵢ) and m < n_x, so Z1 comes from K = XᵀX"
                        if run.method == "gram" else "primal: W1 is stepped as it is"),
        "printed_costs": "J of each printed iteration",
    }


def _model_settings(settings: RunSettings) -> dict:
    return {key: list(v) if isinstance(v := getattr(settings, key), tuple) else v for key in MODEL_SETTINGS}
