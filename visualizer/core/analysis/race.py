"""The race: several configurations (optimizer, α, β, B, λ, decay, seed, hidden layers) on the same data.

Each run is the model registry's trainer (GradientDescent for logistic regression, NetworkRun for a network)
with its own Optimizer, from the common start; a row with a seed starts instead from that seed's random start
(and shuffles), so the same model from several seeds races too (core/analysis/race_seeds.py says what they
did). A row's hidden layers are the window's model unless it names its own (none: logistic regression), with
the window's activation and init, so networks of several sizes race too. The race records every run's full J
and accuracies itself, at a stride chosen so each run keeps a few hundred points (and where its last tenth of
iterations starts), and outside the time it measures: the seconds are the optimizer's own work, so "cost
against seconds" is a fair race between a batch step and many cheap mini-batch steps. Everything the explorer
draws and the table shows comes from those rows, so a race read back from a session shows the same.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from visualizer.core.analysis.seeds import nine_tenths
from visualizer.core.analysis.surface import Plane, SurfaceSlice, view_ranges
from visualizer.core.analysis.verdicts import Verdict, judge_at
from visualizer.core.engine.gradient_descent import GradientDescent, initial_parameters
from visualizer.core.engine.history import GrowingArray, History
from visualizer.core.engine.losses import get_loss
from visualizer.core.engine.parametrization import PrimalParametrization
from visualizer.core.models.network import DEFAULT_SCALE
from visualizer.core.models.registry import model_for
from visualizer.core.optim.optimizers import Optimizer
from visualizer.core.optim.registry import SPECS

#: The configurations a race may hold: runs are cheap, curves and legends are not.
MAX_RUNS = 16
#: Rows of full J recorded per run over its budget.
POINTS = 400
#: The x axes of the cost curves: iterations, passes over the m examples, seconds of the optimizer's work.
X_AXES = ("iterations", "epochs", "seconds")
NAMES = {key: spec.short for key, spec in SPECS.items()}


@dataclass(frozen=True)
class RaceConfig:
    """One row of the race. ``beta`` is the optimizer's β, or Adam's β₁; ``batch_size`` None is all m; ``seed``
    None is the common start, a number that seed's random start (and mini-batch shuffles); ``hidden`` None is the
    window's model, () logistic regression, (4,) or (20, 7, 5) those hidden layers."""

    optimizer: str = "gd"
    alpha: float = 0.005
    beta: float = 0.9
    beta2: float = 0.999
    batch_size: int | None = None
    lam: float = 0.0
    decay: float = 0.0
    seed: int | None = None
    hidden: tuple[int, ...] | None = None

    def to_dict(self) -> dict:
        """Its values by column; the common start and the window's model (None) are left out, as files before
        seeds and hidden layers have them."""
        return {key: value for key, value in asdict(self).items() if not (key in OPTIONAL and value is None)}

    def cells(self) -> dict:
        """Every column's value as text or a number, None written as the table writes it ("all" examples, the
        "same" start and model), hidden layers as "20,7,5" (or "none")."""
        return {key: BLANKS[key][-1] if value is None else hidden_cell(value) if key == "hidden" else value
                for key, value in asdict(self).items()}

    def optimizer_for(self) -> Optimizer:
        return Optimizer(kind=self.optimizer, batch_size=self.batch_size, beta=self.beta, beta1=self.beta,
                         beta2=self.beta2, lam=self.lam, decay=self.decay)

    def label(self) -> str:
        parts = [NAMES[self.optimizer], f"α={self.alpha:g}"]
        if {"beta", "beta1"} & {h.name for h in SPECS[self.optimizer].hyper}:
            parts.append(f"β={self.beta:g}")
        if self.batch_size is not None:
            parts.append(f"B={self.batch_size}")
        if self.lam:
            parts.append(f"λ={self.lam:g}")
        if self.decay:
            parts.append(f"decay={self.decay:g}")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if self.hidden is not None:
            parts.append(f"hidden {hidden_cell(self.hidden)}")
        return " ".join(parts)


def hidden_cell(hidden: tuple[int, ...]) -> str:
    """Hidden layer sizes as the table writes them: "4", "20,7,5", or "none" (logistic regression)."""
    return ",".join(map(str, hidden)) or "none"


#: Column key -> its heading in the explorer's table of configurations.
COLUMNS = {"optimizer": "optimizer", "alpha": "α", "beta": "β (β₁)", "beta2": "β₂", "batch_size": "B",
           "lam": "λ", "decay": "decay", "seed": "seed", "hidden": "hidden layers"}
#: Column key -> the cell words that mean None: all m examples, the common start, the window's model.
BLANKS = {"batch_size": ("", "all"), "seed": ("", "same"), "hidden": ("", "same")}
#: The columns later than the first files: a file without them means None (the window's start and model).
OPTIONAL = ("seed", "hidden")


def _rows(*configs: dict) -> tuple[RaceConfig, ...]:
    return tuple(RaceConfig(**c) for c in configs)


#: name -> (configurations, iterations).
PRESETS = {
    "Course α": (_rows({"alpha": 0.01}, {"alpha": 0.001}, {"alpha": 0.0001}), 1500),
    "Batch vs mini-batch vs stochastic": (_rows({"alpha": 0.002}, {"alpha": 0.002, "batch_size": 32},
                                                {"alpha": 0.002, "batch_size": 1}), 2000),
    "GD vs momentum vs Adam": (_rows({"alpha": 0.005}, {"optimizer": "momentum", "alpha": 0.005},
                                     {"optimizer": "adam", "alpha": 0.001}), 1000),
    "L2 from 0 to 10": (_rows({"alpha": 0.005}, {"alpha": 0.005, "lam": 0.1}, {"alpha": 0.005, "lam": 1.0},
                              {"alpha": 0.005, "lam": 10.0}), 1500),
    "Large steps": (_rows({"alpha": 0.005}, {"alpha": 0.02}, {"alpha": 0.1}, {"alpha": 1.0}), 2000),
    # The course's flower α: a network's seeds settle in different minima there, logistic regression's in one.
    "Seeds 1, 2, 3": (_rows({"alpha": 1.2, "seed": 1}, {"alpha": 1.2, "seed": 2}, {"alpha": 1.2, "seed": 3}), 1500),
    # The course's hidden-size table: 1 to 5 units (the window's activation and start) at α 1.2, 5000 iterations.
    "Hidden units 1 to 5": (_rows(*({"alpha": 1.2, "hidden": (units,)} for units in range(1, 6))), 5000),
}


@dataclass
class RaceRun:
    """A run's record: its rows of full J (``history.metrics``) with the seconds of work at each row.

    ``gd`` is the live engine; a run read back from a file has none and cannot go on."""

    config: RaceConfig
    m: int
    history: History = field(default_factory=History)
    seconds: GrowingArray = field(default_factory=lambda: GrowingArray(64))
    gd: GradientDescent | None = None
    every: int = 1
    iteration: int = 0
    diverged_at: int | None = None  # the first iteration whose step was not finite
    elapsed: float = 0.0

    @property
    def iterations_per_epoch(self) -> int:
        return -(-self.m // self.config.optimizer_for().batch(self.m))

    def rows(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return self.history.metric(name)

    def x(self, iterations: np.ndarray, axis: str) -> np.ndarray:
        """Iterations as the chosen x axis: "iterations", "epochs" (passes over m) or "seconds" of work."""
        if axis == "epochs":
            return iterations / self.iterations_per_epoch
        if axis == "seconds":
            its, seconds = self.history.metrics["iteration"].values, self.seconds.values
            n = min(its.size, seconds.size)  # a row being recorded on the worker may not have its seconds yet
            return np.interp(iterations, its[:n], seconds[:n]) if n else np.zeros(np.shape(iterations))
        return iterations

    def verdict(self) -> Verdict:
        """What its J did: at every iteration kept for batch runs, the full J of its rows for mini-batches."""
        its, values = self.rows("train_cost")
        costs = self.history.costs
        if self.config.optimizer_for().batch(self.m) >= self.m and len(costs):
            later = its > costs.iterations()[-1]  # the rows after the last step's cost: J where the run stands
            its, values = np.append(costs.iterations(), its[later]), np.append(costs.values, values[later])
        # A halt marks the iteration after the last one run; older files also marked a rise past 10x J, before it.
        halted = self.diverged_at if (self.diverged_at or -1) > self.iteration else None
        return judge_at(its, values, halted)

    def reached(self, target: float) -> int | None:
        """The first iteration whose full J is at or below ``target``: every iteration for batch runs."""
        if self.config.optimizer_for().batch(self.m) >= self.m and len(self.history.costs):
            costs = self.history.costs
            hit = np.flatnonzero(costs.values <= target)
            if hit.size:
                return int(hit[0]) * costs.stride
        its, values = self.rows("train_cost")
        hit = np.flatnonzero(values <= target)
        return int(its[hit[0]]) if hit.size else None


@dataclass
class Summary:
    label: str
    iteration: int
    epochs: float
    final_cost: float
    train_accuracy: float
    test_accuracy: float | None
    reached_at: int | None  # iterations to the target cost
    reached_seconds: float | None
    seconds: float
    verdict: Verdict

    @property
    def diverged(self) -> bool:
        return self.verdict.diverged


@dataclass
class SharedSlice:
    """J on one plane through the common start; each run's path as (s, t, distance off the plane)."""

    s: np.ndarray
    t: np.ndarray
    J: np.ndarray
    paths: list[tuple[np.ndarray, np.ndarray, np.ndarray] | None]  # by run; None: no path (a run read back)
    s_label: str
    t_label: str


class Race:
    def __init__(self, X, Y, X_test=None, Y_test=None, iterations: int = 1500, loss: str = "cross-entropy",
                 init: str = "zeros", seed: int = 0, hidden: tuple[int, ...] = (), activation: str = "relu",
                 init_scale: float | str = DEFAULT_SCALE):
        """The common start is ``init`` from ``seed``; ``hidden`` (and its activation and init scale) the model of
        every row that names no hidden layers of its own."""
        self.X, self.Y, self.X_test, self.Y_test = X, Y, X_test, Y_test
        self.n_x, self.m = X.shape
        self.iterations, self.loss, self.init, self.seed = int(iterations), loss, init, seed
        self.model_options = {"hidden": tuple(hidden), "activation": activation, "init_scale": init_scale}
        #: Every run records a row here too, so what its J still moved over the last tenth is measured.
        self.tenth_mark = nine_tenths(self.iterations)
        self.runs: list[RaceRun] = []
        self.slice: SharedSlice | None = None

    def add(self, config: RaceConfig) -> RaceRun:
        """A new run from the common start; ValueError if it is already in the race or cannot run here."""
        if any(r.config == config for r in self.runs):
            raise ValueError(f"{config.label()} is already in the race")
        if len(self.runs) >= MAX_RUNS:
            raise ValueError(f"a race holds at most {MAX_RUNS} runs")
        options = self.options_of(config)
        model = model_for(options["hidden"])
        live = [r.gd for r in self.runs if r.gd is not None and isinstance(r.gd, model.trainer)]  # shares its K
        share = next((gd for gd in live if gd.param.kind == "gram"), live[0] if live else None)
        init, seed = (self.init, self.seed) if config.seed is None else ("random", config.seed)
        gd = model.trainer(self.X, self.Y, alpha=config.alpha, loss=self.loss, init=init, seed=seed,
                           X_test=self.X_test, Y_test=self.Y_test, metric_stride=10**9, share_with=share,
                           optimizer=config.optimizer_for(), **{key: options[key] for key in model.options})
        size = config.optimizer_for().batch(self.m)
        every = max(1, math.ceil(self.iterations / POINTS), math.ceil(self.m / (10 * size)))
        run = RaceRun(config, self.m, gd.history, gd=gd, every=every)
        self._record(run)
        self.runs.append(run)
        return run

    def options_of(self, config: RaceConfig) -> dict:
        """The model settings a row trains with: the window's, with the row's own hidden layers if it has them."""
        return self.model_options | ({} if config.hidden is None else {"hidden": tuple(config.hidden)})

    def unfinished(self) -> list[RaceRun]:
        return [r for r in self.runs if r.gd is not None and r.iteration < self.iterations and not r.gd.halted]

    def step(self, n: int, cancelled=None) -> bool:
        """Every unfinished run up to n iterations further; False once all are done."""
        cancelled = cancelled or (lambda: False)
        for run in self.unfinished():
            gd, target = run.gd, min(run.iteration + n, self.iterations)
            while gd.iteration < target and not gd.halted and not cancelled():
                stop = min(target, (gd.iteration // run.every + 1) * run.every)
                stop = min(stop, self.tenth_mark) if gd.iteration < self.tenth_mark else stop
                start = time.perf_counter()
                gd.step(stop - gd.iteration, cancelled=cancelled)
                run.elapsed += time.perf_counter() - start
                run.iteration = gd.iteration
                if gd.iteration % run.every == 0 or gd.iteration in (self.tenth_mark, self.iterations) or gd.halted:
                    self._record(run)
        return bool(self.unfinished())

    def settle(self) -> None:
        """A row at every run's last iteration (a paused race ends between rows)."""
        for run in self.runs:
            if run.gd is not None:
                self._record(run)

    @staticmethod
    def _record(run: RaceRun) -> None:
        gd, history = run.gd, run.history
        if run.diverged_at is None:
            run.diverged_at = gd.diverged_at  # J stopped being finite there (also a halt where a row is)
        if history.last_metric_iteration == gd.iteration:
            return
        metrics = gd.metrics()
        history.record_metrics(gd.iteration, metrics)
        run.seconds.extend([run.elapsed])
        if len(run.seconds) > len(history.metrics["iteration"]):  # the history thinned its rows
            run.seconds.thin()
        run.iteration = gd.iteration

    def summaries(self, target: float | None = None) -> list[Summary]:
        out = []
        for run in self.runs:
            its, costs = run.rows("train_cost")
            if not its.size:
                continue
            _, acc = run.rows("train_accuracy")
            _, test = run.rows("test_accuracy")
            at = run.reached(target) if target is not None else None
            seconds = run.seconds.values
            out.append(Summary(run.config.label(), int(its[-1]), float(its[-1]) / run.iterations_per_epoch,
                               float(costs[-1]), float(acc[-1]), float(test[-1]) if test.size == its.size else None,
                               at, None if at is None else float(run.x(np.array([at]), "seconds")[0]),
                               float(seconds[its.size - 1]), run.verdict()))
        return out

    def shared_slice(self, grid: int = 48) -> SharedSlice | None:
        """J on the plane through the start spanned by b and the best run's move in w, in (w, b) itself,
        so runs on the Gram and the primal paths share it. Kept as ``self.slice``; none when ``no_slice_why``."""
        live = [r for r in self.runs if r.gd is not None]
        if not live or self.no_slice_why():
            return self.slice
        w0, b0 = initial_parameters(self.n_x, self.init, self.seed)
        y = np.asarray(self.Y, dtype=float).reshape(-1)
        best = min(live, key=lambda r: r.gd.cost if math.isfinite(r.gd.cost) else math.inf).gd
        d1 = best.w - w0
        if not np.linalg.norm(d1) > 0:  # nothing moved yet: downhill from the start
            z0 = np.asarray(w0 @ self.X, dtype=float) + b0
            d1 = -np.asarray(self.X @ get_loss(self.loss).dz(z0, y).astype(self.X.dtype), dtype=float)
        norm = float(np.linalg.norm(d1))
        if not (norm > 0 and math.isfinite(norm)):
            return self.slice
        d1 = d1 / norm
        axis_b = np.zeros(self.n_x + 1)
        axis_b[-1] = 1.0
        plane = Plane(np.append(w0, b0), np.append(d1, 0.0), axis_b, "race", "along the best run's move in w", "b")
        sl = SurfaceSlice(PrimalParametrization(self.X), get_loss(self.loss), y, plane)
        paths = [self._path(r.gd, w0, d1) if r.gd is not None else None for r in self.runs]
        drawn = [p for p in paths if p is not None]
        s_all = np.concatenate([[0.0], *[p[0] for p in drawn]])
        t_all = np.concatenate([[0.0], *[p[1] for p in drawn]])
        (s0, s1), (t0, t1) = view_ranges(_Points(s_all, t_all), minimum=0.5)
        s, t = np.linspace(s0, s1, grid), np.linspace(t0, t1, grid)
        self.slice = SharedSlice(s, t, sl.grid(s, t), paths, plane.s_label, plane.t_label)
        return self.slice

    def no_slice_why(self) -> str | None:
        """Why the race has no shared slice (a network runs, or runs start apart), or None."""
        models = [self.options_of(r.config)["hidden"] for r in self.runs] or [self.model_options["hidden"]]
        if any(models):
            return ("No shared slice: it is drawn in logistic regression's (w, b); a network's J is sliced in the "
                    "Surface panel.")
        if any(r.config.seed is not None for r in self.runs):
            return "No shared slice: the runs start from different seeds, so no one plane goes through their start."
        return None

    @staticmethod
    def _path(gd: GradientDescent, w0: np.ndarray, d1: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(s, t, distance) of a run's path in the shared plane, from its own coordinates: the Gram path
        moves w - w0 = [X, w0] c, so s = c · ([X, w0]^T d1) and |w - w0|² = cᵀ K c."""
        U = np.array(gd.trajectory.thetas + [gd.theta]) - gd.theta_start
        C = U[:, :-1]
        if gd.param.kind == "gram":
            along = np.asarray(gd.param.X.T @ d1.astype(gd.param.X.dtype), dtype=float)
            if C.shape[1] > gd.m:  # the start w0 is a column of its own
                along = np.append(along, w0 @ d1)
            squared = np.einsum("ij,ij->i", C @ gd.param.metric, C)
        else:
            along, squared = d1, np.einsum("ij,ij->i", C, C)
        s = C @ along
        return s, U[:, -1].copy(), np.sqrt(np.clip(squared - s * s, 0.0, None))


@dataclass
class _Points:
    s: np.ndarray
    t: np.ndarray
