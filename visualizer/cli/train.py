"""`visualizer train`: what the course's notebook prints, for one or several α from the same start,
with the run's settings built from the flags as a session's are (visualizer.model.constraints)."""

from __future__ import annotations

import json
import sys
import time

from visualizer.cli.args import UsageError
from visualizer.cli.output import Progress, json_safe, one_line, quote_path, tell_outcome, verdict_json
from visualizer.cli.train_network import model_problem, model_summary, run_network
from visualizer.cli.train_seeds import run_seeds, seeds_problem
from visualizer.core import GradientDescent
from visualizer.core.analysis.verdicts import SHORT, run_verdict
from visualizer.core.engine.gradient_descent import CHUNK
from visualizer.core.engine.metrics import cost_text
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import HYPERS
from visualizer.data import Dataset, Skipped, load_data
from visualizer.data.planar import is_planar
from visualizer.formats.model_files import save_model, save_network_model
from visualizer.fs.atomic import atomic_write, write_problem
from visualizer.fs.files import file_kind_problem
from visualizer.model.constraints import MODEL_SETTINGS, TABLE, batch_problem
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings, SettingsError, run_optimizer

#: Seconds of training between two progress updates (calls of any size give the same run: the engine's arithmetic
#: does not depend on how its iterations are split).
STEP_SECONDS = 0.25


def train(args) -> int:
    for out in (args.json, args.save):
        if out:
            check_writable(out)
    for given in (args.train, args.test):
        if given is not None and not is_planar(given) and (problem := file_kind_problem(given, folder_ok=True)):
            raise UsageError(f"{given}: {problem}")  # a FIFO would block before the data package could say so
    train, test = load_data(args.train, args.test, positive=args.positive, n_px=args.n_px,
                            test_fraction=args.test_fraction, seed=args.seed)
    _report_skipped(train.skipped + (test.skipped if test else []))
    if (test is None and args.test is None and args.test_fraction > 0) or (test is not None and test.m == 0):
        what = "too few examples to hold out a test set" if args.test is None else f"{args.test} has no examples"
        print(f"visualizer: note: {one_line(what)}; reporting training figures only", file=sys.stderr)
        test = None
    settings = settings_from_flags(args, TRAIN_SETTINGS)
    if problem := model_problem(settings, args, train.n_x) or (args.seeds and seeds_problem(args, settings)):
        raise UsageError(problem)
    if args.save and train.n_px == 0:
        raise UsageError("argument --save: a model of 2-D points cannot be saved yet (predict reads images)")
    optimizer = _optimizer(settings, train.m)
    if args.seeds:
        runs, race = run_seeds(train, test, args, settings, optimizer)
        if args.json:
            _write_json(args.json, train, test, runs, model_summary(settings, train.n_x), seeds=race)
        return 0
    runs = []
    for alpha in args.alpha:
        if len(args.alpha) > 1:
            print(f"learning rate is: {alpha}")
        if settings.hidden:
            summary, trained = run_network(train, test, alpha, args, settings, optimizer, _steps)
        else:
            summary, trained = _one_run(train, test, alpha, args, settings, optimizer)
        runs.append(summary)
        if len(args.alpha) > 1:
            print("-" * 55)
    if len(runs) > 1:
        _print_table(runs)
    if args.json:
        _write_json(args.json, train, test, runs, model_summary(settings, train.n_x))
    if args.save:  # the last α's run
        if settings.hidden:
            save_network_model(args.save, trained.net, trained.theta, train.n_px, train.classes,
                               trained.alpha_changes, trained.metrics)
        else:
            save_model(args.save, trained.w, trained.b, train.n_px, train.classes, trained.history.alpha_changes,
                       trained.metrics())
    return 0


#: The flags of `train` that are run settings (each α of --alpha is one run's).
TRAIN_SETTINGS = ("loss", "init", "seed", "optimizer", "batch_size", *HYPERS, "lam", "decay", "decay_kind",
                  *MODEL_SETTINGS)


def settings_from_flags(args, keys, base: RunSettings | None = None) -> RunSettings:
    """The flags' run settings (``keys``: the argparse names that are settings; None values are left out),
    built as a session's are; a flag at fault is named as the user wrote it."""
    values = {key: getattr(args, key) for key in ((keys,) if isinstance(keys, str) else keys)}
    values = {key: v for key, v in values.items() if v is not None or TABLE[key].none}
    try:
        return (base or RunSettings()).with_changes("the command line", **values)
    except SettingsError as exc:
        raise UsageError(f"argument {TABLE[exc.key].flag}: {exc.reason}") from None


def _optimizer(settings: RunSettings, m: int) -> Optimizer:
    """The flags' optimizer, through RunSettings; B <= m is checked where m is known."""
    if problem := batch_problem(settings.batch_size, m):
        raise UsageError(f"argument --batch-size: {problem}")
    return run_optimizer(settings, m)


def _one_run(train: Dataset, test: Dataset | None, alpha: float, args, settings: RunSettings, optimizer: Optimizer
             ) -> tuple[dict, GradientDescent]:
    """One α. A mini-batch run prints the full J_reg every K iterations (the metrics, at that stride);
    batch descent prints the cost of every K-th iteration, which is that same full J."""
    started = time.perf_counter()
    mini = optimizer.batch(train.m) < train.m
    gd = new_run(train, test, settings, alpha=alpha, edge=False)  # the window's run, so the same figures
    gd.metric_stride = args.print_every if mini else max(args.iterations, 1)  # only what it records, not its steps
    _steps(gd, args.iterations, f"alpha {alpha:g}: " if len(args.alpha) > 1 else "")
    seconds = time.perf_counter() - started
    if mini:
        its, printed = gd.history.metric("train_cost", max(gd.iteration - 1, 0))
        its = its.astype(int)
    else:
        printed = gd.history.costs.values[:: args.print_every]
        its = range(0, len(gd.history.costs), args.print_every)
    for i, cost in zip(its, printed, strict=False):
        print(f"Cost after iteration {i}: {cost_text(cost)}")
    if gd.overflow is not None:
        print(f"stopped: {gd.overflow}")
    m, verdict = gd.metrics(), run_verdict(gd)
    tell_outcome(verdict, m["train_accuracy"], m["test_accuracy"], test is not None)
    return {
        "alpha": alpha,
        "iterations": gd.iteration,
        "costs": [float(c) for c in printed],
        "final_cost": m["train_cost"],
        "train_accuracy": m["train_accuracy"],
        "test_accuracy": m["test_accuracy"],
        "diverged": verdict.diverged,
        "verdict": verdict_json(verdict),
        "train_seconds": seconds,
        "settings": {"alpha": alpha, "iterations": args.iterations, "print_every": args.print_every,
                     "loss": args.loss, "init": args.init, "seed": args.seed, **optimizer.to_dict(),
                     "batch_size_used": optimizer.batch(train.m)},
        "method": gd.method,
        "path_reason": gd.path_reason,
        "printed_costs": "full J_reg at the stride (mini-batches)" if mini else "J_reg of each printed iteration",
    }, gd


def _steps(gd: GradientDescent, n: int, label: str) -> None:
    """n iterations in calls of about STEP_SECONDS, showing progress on long runs."""
    progress = Progress(n, label)
    chunk, target = CHUNK, gd.iteration + n
    try:
        while gd.iteration < target:
            started = time.perf_counter()
            want = min(chunk, target - gd.iteration)
            if gd.step(want) < want:
                break  # the next step would overflow
            progress.update(gd.iteration - (target - n))
            took = time.perf_counter() - started
            if took < STEP_SECONDS / 2:
                chunk *= 2
            elif took > 2 * STEP_SECONDS and chunk > CHUNK:
                chunk //= 2
    finally:
        progress.close()


def _report_skipped(skipped: list[Skipped]) -> None:
    for s in skipped[:10]:
        print(f"visualizer: skipped {quote_path(s.path, sys.stderr)}: {one_line(s.reason)}", file=sys.stderr)
    if len(skipped) > 10:
        print(f"visualizer: ... and {len(skipped) - 10} more skipped files (--json lists them all)", file=sys.stderr)


def _print_table(runs: list[dict]) -> None:
    print(f"{'alpha':>10}  {'final cost':>12}  {'train accuracy':>15}  {'test accuracy':>14}  what J did")
    for r in runs:
        test = "-" if r["test_accuracy"] is None else f"{r['test_accuracy']:.7g} %"
        v = r["verdict"]
        peak = f" (highest {v['highest_cost']:.3g} at iteration {v['highest_at']})" if v["kind"] == "unstable" else ""
        print(f"{r['alpha']:>10g}  {r['final_cost']:>12.6f}  {r['train_accuracy']:>13.7g} %  {test:>14}  "
              f"{SHORT[v['kind']]}{peak}")


def check_writable(path: str) -> None:
    """Before any work: the output can be written (its folder exists and takes a new file), so a read-only
    folder is one line now, not after an hour of training and drawing."""
    if problem := write_problem(path):
        raise UsageError(f"{path}: {problem}")


def _write_json(path: str, train: Dataset, test: Dataset | None, runs: list[dict], model: dict, **extra) -> None:
    doc = {
        "model": model,
        "data": {
            "n_x": train.n_x,
            "m_train": train.m,
            "m_test": 0 if test is None else test.m,
            "classes": list(train.classes),
            "skipped": [{"path": s.path, "reason": s.reason} for s in train.skipped + (test.skipped if test else [])],
        },
        "runs": runs,
        **extra,
    }
    text = json.dumps(json_safe(doc), indent=2, allow_nan=False) + "\n"
    atomic_write(path, lambda f: f.write(text), binary=False)

