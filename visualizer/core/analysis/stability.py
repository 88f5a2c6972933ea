"""Where gradient descent becomes unstable, and a deterministic learning-rate sweep.

Near a point, J is about quadratic with Hessian H = A diag(c) A^T / m, A = [X; 1], where
c = d²L/dz² of the loss in use (a(1-a) for cross-entropy; for squared error it turns
negative where J curves down). Descent with step alpha is stable along every direction while
alpha < 2 / lambda_max. With the Gram matrix K at hand, H acts on w = A u through u -> c K~ u / m,
which is self-adjoint in the inner product u^T K~ v: power iteration costs O(m^2) a step.

L2 adds (λ/m) I to the w-block (b is not regularized). Each optimizer has its own edge, from its
spec in core/optim (``OptimizerSpec.edge``): 2/λmax for gradient descent, 2(1 + β)/((1 − β) λmax)
for momentum in the course's form (heavy ball with step α(1 − β)); the optimizers that rescale
every coordinate have none, and their spec says why in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.analysis.verdicts import run_verdict
from visualizer.core.engine.gradient_descent import GradientDescent
from visualizer.core.models.network import DEFAULT_SCALE
from visualizer.core.models.registry import model_for
from visualizer.core.optim.optimizers import Optimizer

#: Below this (relative to lambda_max) an eigenvalue counts as zero.
FLAT = 1e-12
#: Power iteration on the primal path reads X twice a step: beyond this many numbers in X it is not followed live.
LIVE_LIMIT = 5_000_000


def affordable(gd: GradientDescent) -> bool:
    """Whether the edge can be followed while training: the Gram path, or a small X."""
    return gd.param.kind == "gram" or gd.m * gd.n_x <= LIVE_LIMIT


@dataclass(frozen=True)
class Edge:
    """2 / lambda_max, or why there is no single number here."""

    alpha: float | None
    #: "not convex" (H has a negative direction), "flat" (every sigma saturated), "adaptive" (no formula) or
    #: "not finite" (the curvature overflowed)
    reason: str = ""
    formula: str = "2/λmax"
    why: str = ""  # "adaptive": the optimizer's own sentence saying why no formula applies
    measured_at: int | None = None  # a network's: the iteration whose recorded λmax gave it (no formula here)


def _operator(gd: GradientDescent, c: np.ndarray, lam: float = 0.0):
    """(apply, inner, size): H + (lam/m) diag(I, 0) in coordinates where it is self-adjoint under ``inner``."""
    m = gd.m
    if gd.param.kind == "gram" and lam:
        # v = (X u[:m], u[m]): the span of the (x_i, 0) and (0, 1) holds H's range and is kept by the L2 term;
        # on its complement H_reg is (lam/m) I, never above the top found here.
        K = gd.param.metric[:m, :m]

        def reg(u):
            zv = K @ u[:m] + u[m]
            out = np.append(c * zv, np.sum(c * zv))
            out[:m] += lam * u[:m]
            return out / m

        return reg, (lambda u, v: float(u[:m] @ (K @ v[:m]) + u[m] * v[m])), m + 1
    if gd.param.kind == "gram":
        K = gd.param.metric[:m, :m]

        def gram(u):
            return K @ u + u.sum()

        return (lambda u: c * gram(u) / m), (lambda u, v: float(u @ gram(v))), m
    X = gd.param.X

    def apply(v):  # v = (w, b): A (c * (A^T v)) / m
        zv = np.asarray(v[:-1] @ X, dtype=float) + v[-1]
        u = c * zv
        out = np.append(np.asarray(X @ u.astype(X.dtype, copy=False), dtype=float), u.sum())
        if lam:
            out[:-1] += lam * v[:-1]
        return out / m

    return apply, (lambda u, v: float(u @ v)), gd.param.dim


def _dominant(apply, inner, size: int, shift: float = 0.0, iterations: int = 200, tol: float = 1e-10,
              start: np.ndarray | None = None) -> float:
    """The eigenvalue of (H - shift) largest in magnitude, plus the shift; a fixed seed: always the same answer.

    ``start``: a vector to begin from (the last answer's, while training); it is left holding this one's.
    """
    v = np.random.default_rng(0).standard_normal(size) if start is None or start.size != size else start.copy()
    v /= np.sqrt(max(inner(v, v), 1e-300))
    estimate = 0.0
    for _ in range(iterations):
        w = apply(v) - shift * v
        new = inner(v, w)
        norm = np.sqrt(max(inner(w, w), 0.0))
        if norm == 0.0:
            return shift
        v = w / norm
        if abs(new - estimate) <= tol * max(abs(new), 1e-300):
            break
        estimate = new
    if start is not None and start.size == size:
        start[:] = v
    return new + shift


def eigen_range(gd: GradientDescent, z: np.ndarray | None = None, tol: float = 1e-10,
                start: np.ndarray | None = None, lam: float | None = None) -> tuple[float, float]:
    """(lambda_min, lambda_max) of the Hessian of J_reg (the loss in use, L2 ``lam``: by default the run's)
    at the point whose z is given.

    lambda_min is 0 when every curvature weight is >= 0 (H is then positive semidefinite).
    """
    z = gd.z if z is None else z
    c = gd.loss.curvature(z, gd.y)
    apply, inner, size = _operator(gd, c, gd.optimizer.lam if lam is None else lam)
    top = _dominant(apply, inner, size, tol=tol, start=start)
    if np.all(c >= 0):
        return 0.0, top
    if top < 0:  # the dominant direction curves down: find the top of the spectrum above it
        top = _dominant(apply, inner, size, shift=top)
    return min(_dominant(apply, inner, size, shift=top), 0.0), top


def top_direction(gd: GradientDescent, start: np.ndarray) -> np.ndarray:
    """The Hessian's top eigenvector here, in the run's own coordinates (theta), of unit length in (w, b).

    ``start`` (the last answer's operator coordinates, or empty) is updated in place, so following a run costs a
    few products a step. On the Gram path the eigenvector is w = X u, b = 1ᵀu (or u's last entry with L2).
    """
    c = gd.loss.curvature(gd.z, gd.y)
    lam = gd.optimizer.lam
    apply, inner, size = _operator(gd, c, lam)
    if start.size != size:
        start.resize(size, refcheck=False)
        start[:] = np.random.default_rng(0).standard_normal(size)
    if _dominant(apply, inner, size, start=start) < 0:  # the dominant direction curves down: the top is above it
        _dominant(apply, inner, size, shift=_dominant(apply, inner, size), start=start)
    u = start / np.sqrt(max(inner(start, start), 1e-300))
    if gd.param.kind != "gram":
        return u
    m = gd.m
    theta = np.zeros(gd.param.dim)
    theta[:m] = u[:m]
    theta[-1] = u[m] if lam else u[:m].sum()
    return theta


def lambda_max(gd: GradientDescent, z: np.ndarray | None = None) -> float:
    """The largest eigenvalue of the Hessian of the loss in use (default: at the current point)."""
    return eigen_range(gd, z)[1]


def edge_of_stability(gd: GradientDescent, z: np.ndarray | None = None, tol: float = 1e-10,
                      start: np.ndarray | None = None, optimizer: Optimizer | None = None) -> Edge:
    """The largest stable α for ``optimizer`` (default: the run's) on J_reg here, or why there is none."""
    opt = gd.optimizer if optimizer is None else optimizer
    spec = opt.spec
    if spec.edge is None:
        return Edge(None, "adaptive", "", spec.no_edge)
    with np.errstate(all="ignore"):
        low, top = eigen_range(gd, z, tol, start, opt.lam)
    if not (np.isfinite(low) and np.isfinite(top)):
        return Edge(None, "not finite", why="The curvature of J here is not a finite number: no edge of "
                                            "stability can be measured.")
    if low < -1e-6 * max(abs(top), abs(low)):
        return Edge(None, "not convex")
    if top <= FLAT:
        return Edge(None, "flat")
    alpha = spec.edge(top, opt)
    if not (np.isfinite(alpha) and alpha > 0):
        return Edge(None, "not finite", why=f"The edge of stability {spec.edge_formula} here is not a finite "
                                            "positive number.")
    return Edge(alpha, formula=spec.edge_formula)


def stable_alpha(gd: GradientDescent, z: np.ndarray | None = None) -> float | None:
    """2 / lambda_max: steps larger than this overshoot along the steepest direction (None: no such number)."""
    return edge_of_stability(gd, z).alpha


class EdgeProbe:
    """Records 2/lambda_max with a run's metrics (``gd.probe = EdgeProbe()``); NaN where there is no number.

    Each call starts from the last eigenvector, so following a run costs a few products, not hundreds.
    """

    def __init__(self):
        self._vector = np.zeros(0)

    def __call__(self, gd: GradientDescent) -> dict[str, float]:
        if not affordable(gd):  # 20,000 images: hundreds of passes over 1 GB would stall the run
            return {"edge": float("nan")}
        size = gd.m + (gd.optimizer.lam > 0) if gd.param.kind == "gram" else gd.param.dim
        if self._vector.size != size:
            self._vector = np.random.default_rng(0).standard_normal(size)
        edge = edge_of_stability(gd, tol=1e-7, start=self._vector).alpha
        return {"edge": float("nan") if edge is None else edge}


@dataclass
class SweepPoint:
    alpha: float
    final_cost: float
    diverged: bool  # J ended above where it began, or stopped being finite (core.analysis.verdicts)
    steady: bool  # J fell at every step


def sweep(X, Y, alphas, iterations: int, cancelled=None, **kwargs) -> list[SweepPoint]:
    """One run per alpha from the same start; deterministic (no random state unless seeded)."""
    return sweep_curves(X, Y, alphas, iterations, cancelled, **kwargs)[0]


def sweep_curves(X, Y, alphas, iterations: int, cancelled=None, hidden=(), activation: str = "relu",
                 init_scale: float | str = DEFAULT_SCALE, **kwargs) -> tuple[list[SweepPoint], list]:
    """``sweep``, with each α's J at iterations 0..iterations (the J its run computed anyway; the last value left
    out when it is not finite), of the model ``hidden`` says (the registry's trainer: none is logistic regression,
    whose runs share one Gram matrix)."""
    model = model_for(hidden)
    given = {"hidden": tuple(hidden), "activation": activation, "init_scale": init_scale}
    options = {key: given[key] for key in model.options}
    points, curves, first = [], [], None
    for alpha in alphas:
        if cancelled is not None and cancelled():
            break
        gd = model.trainer(X, Y, alpha=float(alpha), metric_stride=max(iterations, 1), share_with=first, **kwargs,
                           **options)
        first = first or gd
        gd.step(iterations)
        verdict = run_verdict(gd, since=0)
        points.append(SweepPoint(float(alpha), gd.cost, verdict.diverged, verdict.kind == "falls"))
        costs = gd.history.costs.values
        curves.append(np.append(costs, [gd.cost] if np.isfinite(gd.cost) else []))
    return points, curves


def suggest(points: list[SweepPoint]) -> float | None:
    """Among the α whose J fell at every step, the one that ended lowest (the larger on a tie)."""
    steady = [p for p in points if p.steady]
    return min(steady, key=lambda p: (p.final_cost, -p.alpha)).alpha if steady else None


def lower_after_a_rise(points: list[SweepPoint]) -> SweepPoint | None:
    """The α that did not fall at every step, did not diverge and ended lowest, if it ended below every steady one."""
    steady = [p.final_cost for p in points if p.steady]
    others = [p for p in points if not p.steady and not p.diverged]
    best = min(others, key=lambda p: p.final_cost, default=None)
    return best if best is not None and best.final_cost < min(steady, default=np.inf) else None
