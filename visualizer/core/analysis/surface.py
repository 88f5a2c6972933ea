"""Exact two-dimensional slices of the cost J(w, b), which lives in n_x + 1 dimensions.

A slice is the plane theta0 + s d1 + t d2. Since z_i is affine in (s, t),
z_i(s, t) = r_i + s p_i + t q_i, every example is projected once and the G x G grid
costs O(G^2 m), independent of n_x. Nothing is interpolated. With L2 the plane adds the
quadratic (λ/2m)|w(s, t)|^2, exact from three inner products; a mini-batch's own J uses only
its examples (``rows``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from visualizer.core.engine.losses import CrossEntropy, Loss
from visualizer.core.engine.parametrization import Parametrization

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="surface")


@dataclass(frozen=True)
class Plane:
    """theta0 + s d1 + t d2, with d1, d2 orthonormal in (w, b) space."""

    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    kind: str
    s_label: str
    t_label: str


def _unit(param: Parametrization, v: np.ndarray) -> np.ndarray | None:
    n = param.norm(v)
    return v / n if n > 1e-300 and np.isfinite(n) else None


def _bias_axis(param: Parametrization) -> np.ndarray:
    e = np.zeros(param.dim)
    e[-1] = 1.0
    return e


def _orthogonal_complement(param: Parametrization, d1: np.ndarray, candidates) -> np.ndarray:
    """The first candidate that keeps something after removing its d1 component."""
    for c in candidates:
        if c is None:
            continue
        v = c - param.inner(c[None], d1[None])[0, 0] * d1
        u = _unit(param, v)
        if u is not None and param.norm(v) > 1e-9 * param.norm(c):
            return u
    raise ValueError("cannot find a second direction for the plane")


def w_direction_plane(param: Parametrization, theta: np.ndarray, gradient: np.ndarray) -> Plane:
    """The plane of (s w_hat, b) through w = 0: the current point lies on it at s = |w|.

    At w = 0 there is no direction yet, so w_hat is the downhill direction -dw.
    """
    w_part = theta.copy()
    w_part[-1] = 0.0
    w_hat = _unit(param, w_part)
    if w_hat is None:
        g = -gradient.copy()
        g[-1] = 0.0
        w_hat = _unit(param, g)
    if w_hat is None:  # no data signal at all: any fixed direction will do
        e = np.zeros(param.dim)
        e[0] = 1.0
        w_hat = _unit(param, e)
    return Plane(
        origin=np.zeros(param.dim),
        d1=w_hat,
        d2=_bias_axis(param),
        kind="w-direction",
        s_label="s = |w| along w's direction",
        t_label="b",
    )


def principal_plane(param: Parametrization, thetas: np.ndarray, current: np.ndarray, gradient: np.ndarray) -> Plane:
    """The plane through the current point spanned by the path's two principal directions.

    As in Li et al. (2018), PCA of theta_k - theta_now; done on the T x T Gram matrix of
    the path, so it costs O(T^2 k) and never forms an n_x-sized covariance.
    """
    D = np.asarray(thetas, dtype=float) - current
    D = D[np.any(D != 0, axis=1)] if D.size else D.reshape(0, param.dim)
    directions: list[np.ndarray] = []
    shares = []
    if len(D):
        G = param.inner(D, D)
        vals, vecs = np.linalg.eigh(G)
        order = np.argsort(vals)[::-1]
        total = max(float(np.sum(np.clip(vals, 0, None))), 1e-300)
        for idx in order[:2]:
            if vals[idx] > 1e-12 * max(vals[order[0]], 1e-300) and vals[idx] > 0:
                directions.append(vecs[:, idx] @ D / np.sqrt(vals[idx]))
                shares.append(vals[idx] / total)
    if not directions:
        fallback = w_direction_plane(param, current, gradient)
        directions.append(fallback.d1)
        shares.append(0.0)
    d1 = _unit(param, directions[0])
    if len(directions) > 1:
        d2 = _orthogonal_complement(param, d1, [directions[1]])
    else:
        d2 = _orthogonal_complement(param, d1, [_bias_axis(param), -gradient])
        shares.append(0.0)
    return Plane(
        origin=current.copy(),
        d1=d1,
        d2=d2,
        kind="principal",
        s_label=f"path direction 1 ({100 * shares[0]:.0f} % of the path's spread)",
        t_label=f"path direction 2 ({100 * shares[1]:.0f} %)",
    )


def _softplus_inplace(u: np.ndarray) -> None:
    """u <- log(1 + e^u) = max(u, 0) + log1p(e^-|u|), in place, without overflow."""
    e = np.abs(u)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=e)
    np.maximum(u, 0, out=u)
    u += e


@dataclass
class PlanePoints:
    """Points expressed in a plane: coordinates and how far each lies off it."""

    s: np.ndarray
    t: np.ndarray
    distance: np.ndarray


class SurfaceSlice:
    """J_reg on a plane, evaluated exactly from the per-example projections (r, p, q).

    ``l2``: λ/2m, the weight of |w|^2 (0 without L2); ``rows``: the examples of one batch (default all).
    """

    def __init__(self, param: Parametrization, loss: Loss, y: np.ndarray, plane: Plane, l2: float = 0.0,
                 rows: np.ndarray | None = None):
        self.param, self.loss, self.plane = param, loss, plane
        self.y = np.asarray(y, dtype=float).reshape(-1)
        ex = param.train
        self.r, self.p, self.q = ex.z(plane.origin), ex.z(plane.d1), ex.z(plane.d2)
        if rows is not None:
            self.y, self.r, self.p, self.q = (v[rows] for v in (self.y, self.r, self.p, self.q))
        W = np.stack([plane.origin, plane.d1, plane.d2])
        W[:, -1] = 0.0  # b is not regularized
        self._l2 = l2 * param.inner(W, W) if l2 else None
        # Cross-entropy with 0/1 labels is softplus of the signed margin -(2y - 1) z, which
        # stays accurate in float32 even where J is tiny; the grid runs in float32 for speed.
        self._margin_form = isinstance(loss, CrossEntropy) and bool(np.all((self.y == 0) | (self.y == 1)))
        sign = 1.0 - 2.0 * self.y if self._margin_form else np.ones_like(self.y)
        self._rpq32 = [(sign * v).astype(np.float32) for v in (self.r, self.p, self.q)]

    def penalty(self, s, t):
        """(λ/2m)|w|^2 at (s, t), broadcast like s and t; 0 without L2."""
        if self._l2 is None:
            return 0.0
        G = self._l2
        with np.errstate(over="ignore", invalid="ignore"):  # a plane at |w| ~ 1e150: J is not finite there
            return (G[0, 0] + 2 * s * G[0, 1] + 2 * t * G[0, 2] + s * s * G[1, 1] + 2 * s * t * G[1, 2]
                    + t * t * G[2, 2])

    def cost_at(self, s: float, t: float) -> float:
        """J at one point of the plane, in float64."""
        return float(self.loss.cost(self.r + s * self.p + t * self.q, self.y)) + float(self.penalty(s, t))

    def costs_at(self, s: np.ndarray, t: np.ndarray) -> np.ndarray:
        """J at many points of the plane in one pass, in float64 (the path, the ghost)."""
        s, t = np.asarray(s, dtype=float), np.asarray(t, dtype=float)
        if s.size == 0:
            return np.zeros(0)
        Z = self.r + np.multiply.outer(s, self.p) + np.multiply.outer(t, self.q)
        return np.asarray(self.loss.cost(Z, self.y), dtype=float).reshape(-1) + np.reshape(self.penalty(s, t), -1)

    def grid(self, s_values: np.ndarray, t_values: np.ndarray) -> np.ndarray:
        """J[i, j] at (s_values[i], t_values[j]), to float32 precision (about 1e-7 relative); in float64, row
        by row, on a plane whose z would leave float32's range (a run thrown out to |w| ~ 1e150)."""
        if not self._fits_float32(s_values, t_values):
            t = np.asarray(t_values, dtype=float)
            with np.errstate(over="ignore", invalid="ignore"):
                return np.stack([self.costs_at(np.full(t.size, v), t) for v in np.asarray(s_values, dtype=float)]
                                ) if t.size else np.zeros((np.size(s_values), 0))
        s_values = np.asarray(s_values, dtype=np.float32)
        t_values = np.asarray(t_values, dtype=np.float32)
        out = np.empty((s_values.size, t_values.size))
        if out.size == 0:
            return out
        r, p, q = self._rpq32
        tq = np.multiply.outer(t_values, q)  # (T, m)
        halves = np.array_split(np.arange(s_values.size), min(2, s_values.size))
        list(_POOL.map(lambda rows: self._fill(out, rows, s_values, r, p, tq), halves))
        if self._l2 is not None:
            out += self.penalty(s_values.astype(float)[:, None], t_values.astype(float)[None, :])
        return out

    def _fits_float32(self, s_values, t_values) -> bool:
        """Whether every z = r + s·p + t·q of the grid is well inside float32's range (about 3.4e38)."""
        big = 1e30
        reach = [float(np.max(np.abs(v), initial=0.0)) for v in (s_values, t_values, self.r, self.p, self.q)]
        s, t, r, p, q = reach
        return bool(np.isfinite(reach).all() and r + s * p + t * q < big)

    def _fill(self, out, rows, s_values, r, p, tq) -> None:
        block = max(1, 32768 // tq.size)
        for start in range(0, rows.size, block):
            sel = rows[start : start + block]
            Z = (r + np.multiply.outer(s_values[sel], p))[:, None, :] + tq[None]
            if self._margin_form:
                _softplus_inplace(Z)
                out[sel] = Z.mean(axis=-1, dtype=np.float64)
            else:
                out[sel] = np.mean(self.loss.values(Z, self.y.astype(np.float32)), axis=-1, dtype=np.float64)

    def points(self, thetas: np.ndarray) -> PlanePoints:
        """Plane coordinates of parameter vectors, and their distance from the plane."""
        T = np.atleast_2d(np.asarray(thetas, dtype=float)) - self.plane.origin
        st, sq = self.param.project(T, np.stack([self.plane.d1, self.plane.d2]))
        dist = np.sqrt(np.clip(sq - st[:, 0] ** 2 - st[:, 1] ** 2, 0.0, None))
        return PlanePoints(st[:, 0], st[:, 1], dist)

    def direction(self, vector: np.ndarray) -> tuple[float, float]:
        """A (w, b)-space vector, such as the gradient, projected onto the plane's axes."""
        st = self.param.inner(np.atleast_2d(vector), np.stack([self.plane.d1, self.plane.d2]))[0]
        return float(st[0]), float(st[1])


def view_ranges(points: PlanePoints, pad: float = 0.3, minimum: float = 1.0,
                minimum_t: float | None = None) -> tuple[tuple, tuple]:
    """(s range, t range) that show every point with a margin around them, widened to multiples of half
    a power of ten: a growing path moves the view (and its axes' labels) in steps, not at every update.
    ``minimum_t``: the t range's own smallest width (default ``minimum``)."""

    def one(v: np.ndarray, minimum: float) -> tuple[float, float]:
        lo, hi = float(np.min(v)), float(np.max(v))
        half = max((hi - lo) / 2 * (1 + 2 * pad), minimum / 2)
        mid = (lo + hi) / 2
        unit = 10.0 ** np.floor(np.log10(2 * half)) / 2
        return float(np.floor((mid - half) / unit) * unit), float(np.ceil((mid + half) / unit) * unit)

    return one(points.s, minimum), one(points.t, minimum if minimum_t is None else minimum_t)


#: The smallest width of the principal plane's second axis (the first keeps 0.5, as the w-direction plane's).
PATH_T_MINIMUM = 1e-3


@dataclass
class SurfaceView:
    """Everything a surface drawing needs, in plane coordinates: no maths left for the view."""

    s: np.ndarray
    t: np.ndarray
    J: np.ndarray  # J[i, j] at (s[i], t[j])
    path_s: np.ndarray
    path_t: np.ndarray
    path_J: np.ndarray  # J on the slice below/above each path point, so the path lies on the drawing
    path_distance: np.ndarray
    current: tuple[float, float, float]
    downhill: tuple[float, float]  # -gradient projected onto the plane
    s_label: str
    t_label: str
    kind: str
    ghost_s: np.ndarray | None = None  # the path an old alpha would have taken, where there is one
    ghost_t: np.ndarray | None = None
    ghost_J: np.ndarray | None = None
    path_every: int = 1  # iterations between two kept points of the path (it thins as the run grows)
    note: str = ""  # why this plane and not the one asked for (a network's plane undefined here), or nothing
    #: The iterations of the kept points drawn (the point shown aside), the iteration shown and the earliest the
    #: run can show: what ``distance_note`` says of the path (None: not told, the points alone say it).
    path_iterations: tuple[int, ...] = ()
    view_iteration: int | None = None
    path_start: int = 0

    def distance_note(self) -> str:
        """How far the kept points of the path are from the plane: measured on them, and saying which they are;
        when the kept points stop short of the iteration shown, what is drawn instead."""
        if (sparse := self._sparse_note()) is not None:
            return sparse
        points = np.unique(np.column_stack([np.append(self.path_s, self.current[0]),
                                            np.append(self.path_t, self.current[1]),
                                            np.append(self.path_distance, 0.0)]), axis=0)
        if len(points) <= 1:  # the path has not moved from the point shown
            return "The path drawn here is one point: where the run is shown."
        far = float(np.max(self.path_distance))
        span = max(float(np.ptp(self.s)), float(np.ptp(self.t)), 1e-12)
        if not (np.isfinite(far) and np.isfinite(span)):
            return "The path's distance from this plane is not finite: it is drawn at its projection."
        before = [i for i in self.path_iterations if i < (self.view_iteration or 0)]
        # every iteration up to the one shown (they increase: a count says it, without a list as long as the run)
        every = 1 if before and before[-1] == self.view_iteration - 1 and len(before) == before[-1] - before[0] + 1 \
            else self.path_every
        kept = "path" if every == 1 else f"path, at the points kept every {every} iterations,"
        if far <= 1e-6 * span:
            return f"The whole {kept} lies on this plane."
        return (f"The {kept} leaves the plane by up to {far:.3g} (the plane shown is {span:.3g} across); "
                "it is drawn at its projection.")

    def _sparse_note(self) -> str | None:
        """What the path drawn is when no kept point, or only one far behind, lies before the iteration shown (a
        look back, a replay, a run reopened or edited); None otherwise."""
        shown, start, every = self.view_iteration, self.path_start, self.path_every
        if shown is None:
            return None
        before = [i for i in self.path_iterations if i < shown]
        if not before:
            if shown == 0:
                return "The path drawn here is one point: iteration 0, where the run starts."
            if shown == start:
                return f"The path drawn here is one point: iteration {shown}, the earliest this run can show."
            return (f"Points of the path are kept every {every} iterations: none lies between iteration {start}, "
                    f"where its replayable past starts, and iteration {shown}, so only the point shown is drawn.")
        if len(before) > 1 or before[0] == shown - 1:
            return None
        first = before[0]
        return (f"Points of the path are kept every {every} iterations: the next after iteration {first} is at "
                f"{(first // every + 1) * every}, so the path drawn joins iteration {first} straight to the point "
                f"shown (iteration {shown}).")


def surface_view(param: Parametrization, loss: Loss, y: np.ndarray, theta: np.ndarray, gradient: np.ndarray,
                 path: np.ndarray, kind: str = "w-direction", grid: int = 60, extent: float = 1.0,
                 ghost: np.ndarray | None = None, l2: float = 0.0, rows: np.ndarray | None = None,
                 path_every: int = 1) -> SurfaceView:
    """The slice through ``theta`` of the given kind, sized to show the whole path (times ``extent``).

    ``l2`` (λ/2m) and ``rows`` (one batch's examples) as for SurfaceSlice; ``path_every``: the path's stride."""
    if kind == "principal":
        plane = principal_plane(param, path, theta, gradient)
    else:
        plane = w_direction_plane(param, theta, gradient)
    sl = SurfaceSlice(param, loss, y, plane, l2, rows)
    pts = sl.points(np.vstack([np.atleast_2d(path).reshape(-1, param.dim), theta[None], plane.origin[None]]))
    ghost_pts = sl.points(ghost) if ghost is not None and len(ghost) else None
    shown = pts if ghost_pts is None else PlanePoints(np.concatenate([pts.s, ghost_pts.s]),
                                                      np.concatenate([pts.t, ghost_pts.t]), pts.distance)
    # The path's second direction is sized to the path: a zig-zag across the valley a hundredth of the path's
    # length is drawn across the plot, not as a straight line (its axis says how small it is).
    (s0, s1), (t0, t1) = view_ranges(shown, minimum=0.5, minimum_t=PATH_T_MINIMUM if kind == "principal" else None)
    s = (s0 + s1) / 2 + extent * np.linspace(s0 - s1, s1 - s0, grid) / 2
    t = (t0 + t1) / 2 + extent * np.linspace(t0 - t1, t1 - t0, grid) / 2
    path_pts = PlanePoints(pts.s[:-2], pts.t[:-2], pts.distance[:-2])
    current = (float(pts.s[-2]), float(pts.t[-2]))
    ds, dt = sl.direction(-gradient)
    return SurfaceView(
        s=s, t=t, J=sl.grid(s, t),
        path_s=path_pts.s, path_t=path_pts.t,
        path_J=sl.costs_at(path_pts.s, path_pts.t),
        path_distance=path_pts.distance,
        current=(*current, sl.cost_at(*current)),
        downhill=(ds, dt), s_label=plane.s_label, t_label=plane.t_label, kind=plane.kind,
        ghost_s=None if ghost_pts is None else ghost_pts.s, ghost_t=None if ghost_pts is None else ghost_pts.t,
        ghost_J=None if ghost_pts is None else sl.costs_at(ghost_pts.s, ghost_pts.t), path_every=path_every,
    )
