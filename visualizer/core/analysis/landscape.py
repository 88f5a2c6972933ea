"""A network's J sliced through the current θ, ready for the Surface panel; and a bowl beside a landscape.

``network_surface_view`` gives the same SurfaceView that logistic regression's slices give
(core/analysis/surface.py), so one drawing serves both: J on a grid of the plane (exact,
core/models/slices.py), the path projected onto it with J there, how far the path is off it,
and the downhill direction.

``bowl_and_landscape`` slices logistic regression's J and a network's the same way (the
same kind of plane, the same seed, the same grid of filter-normalized coordinates) on the
same data. Logistic regression's J is convex in (w, b), so it is convex along every line of
its grid; a network's is not, and the two drawings show where the difference lies.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.analysis.surface import PATH_T_MINIMUM, PlanePoints, SurfaceView, view_ranges
from visualizer.core.models.network import Network, gradient
from visualizer.core.models.slices import NetworkSlice, parameter_index, path_plane, random_plane, weights_plane

KINDS = ("random", "principal", "weights")
#: Each kind in a few words, for the sentence that says a plane was not defined and which one is shown.
NAMES = {"random": "random directions", "principal": "the path's plane", "weights": "two weights"}
#: Why a kind has no plane here (slices.py refuses it with a ValueError); two chosen weights always have one.
UNDEFINED = {"random": "every weight is zero here, and directions scaled to the weights' size would be zero",
             "principal": "the path so far spans fewer than two directions"}


def plane_for(net: Network, theta: np.ndarray, kind: str, path: np.ndarray | None = None, seed: int = 0,
              weights: tuple[int, int] | None = None, biases: str = "zero"):
    """The plane of ``kind`` through θ: random (seeded), principal (of ``path``) or weights (two indices into θ)."""
    if kind == "random":
        return random_plane(net, theta, seed, biases)
    if kind == "principal":
        if path is None:
            raise ValueError("the path's principal plane needs the path")
        return path_plane(net, path, theta)
    if kind == "weights":
        if weights is None:
            raise ValueError("a plane along two weights needs the two weights")
        return weights_plane(net, theta, *weights)
    raise ValueError(f"unknown plane {kind!r}; choose one of {', '.join(KINDS)}")


def network_surface_view(net: Network, X: np.ndarray, Y: np.ndarray, theta: np.ndarray,
                         path: np.ndarray | None = None, kind: str = "random", grid: int = 41, extent: float = 1.0,
                         seed: int = 0, weights: tuple[int, int] | None = None, grad: np.ndarray | None = None,
                         path_every: int = 1) -> SurfaceView:
    """The slice of J through θ of the given kind, with ``path`` (θ_t, one per row) on it.

    The random plane spans [-extent, extent]² in filter-normalized units (Li et al.'s [-1, 1] by default);
    the others are sized to show the whole path, times ``extent``. ``grad`` (dJ/dθ at θ) is computed when
    not given."""
    theta = np.asarray(theta, dtype=float)
    path = np.empty((0, net.size)) if path is None else np.atleast_2d(np.asarray(path, dtype=float))
    plane = plane_for(net, theta, kind, path, seed, weights)
    sl = NetworkSlice(net, X, Y, plane)
    pa, pb, distance = sl.coordinates(path) if len(path) else (np.zeros(0),) * 3
    if kind == "random":
        s = t = extent * np.linspace(-1.0, 1.0, grid)
    else:
        shown = PlanePoints(np.append(pa, 0.0), np.append(pb, 0.0), np.append(distance, 0.0))
        (s0, s1), (t0, t1) = view_ranges(shown, minimum=0.5,
                                         minimum_t=PATH_T_MINIMUM if kind == "principal" else None)
        s = (s0 + s1) / 2 + extent * np.linspace(s0 - s1, s1 - s0, grid) / 2
        t = (t0 + t1) / 2 + extent * np.linspace(t0 - t1, t1 - t0, grid) / 2
    g = gradient(net, theta, X, Y)[1] if grad is None else np.asarray(grad, dtype=float)
    da, db, _ = sl.coordinates(theta - g)
    return SurfaceView(
        s=s, t=t, J=sl.grid(s, t),
        path_s=pa, path_t=pb, path_J=sl.costs_at(pa, pb), path_distance=distance,
        current=(0.0, 0.0, float(sl.costs_at(np.zeros(1), np.zeros(1))[0])),
        downhill=(float(da[0]), float(db[0])), s_label=plane.s_label, t_label=plane.t_label, kind=plane.kind,
        path_every=path_every,
    )


def default_weights(net: Network) -> tuple[int, int]:
    """The two weights the "two weights" plane moves: the first hidden unit's first two input weights, W1[0, 0]
    and W1[0, 1] (its W1[0, 0] and b1[0] on one input)."""
    second = parameter_index(net, "W1", 0, 1) if net.n_x > 1 else parameter_index(net, "b1", 0)
    return parameter_index(net, "W1", 0, 0), second


def defined_surface_view(net: Network, X: np.ndarray, Y: np.ndarray, theta: np.ndarray, path: np.ndarray | None,
                         kind: str, grid: int = 41, seed: int = 0, path_every: int = 1) -> SurfaceView:
    """``network_surface_view`` of ``kind``, or where that plane is not defined here (random directions at an
    all-zero start, the path's plane before the path has two directions), of the next kind that is, with a
    sentence (``note``) saying so. The weights plane moves ``default_weights``."""
    kind = kind if kind in KINDS else KINDS[0]  # logistic regression's kind ("w-direction"): random directions
    order = [kind] + [k for k in KINDS if k != kind]
    for used in order:
        try:
            view = network_surface_view(net, X, Y, theta, path, used, grid, seed=seed,
                                        weights=default_weights(net), path_every=path_every)
        except ValueError:
            if used not in UNDEFINED:
                raise
            continue
        if used != kind:
            view.note = f"No plane of {NAMES[kind]} here: {UNDEFINED[kind]}. Shown instead: {NAMES[used]}. "
        return view
    raise ValueError(f"no plane of any kind through this θ ({', '.join(KINDS)})")


def logistic_network(net: Network) -> Network:
    """Logistic regression as the network with no hidden layer (θ = [w | b]), with ``net``'s loss and λ."""
    return Network(net.n_x, (), activation=net.activation, loss=net.loss, lam=net.lam)


def bowl_and_landscape(net: Network, X: np.ndarray, Y: np.ndarray, logistic_theta: np.ndarray,
                       network_theta: np.ndarray, *, kind: str = "random", seed: int = 0, grid: int = 41,
                       extent: float = 1.0, logistic_path: np.ndarray | None = None,
                       network_path: np.ndarray | None = None) -> tuple[SurfaceView, SurfaceView]:
    """(logistic regression's slice, the network's slice) on the same data, sliced the same way.

    ``logistic_theta`` is [w | b] (n_x + 1 numbers); ``kind`` is "random" (the same seed for both) or
    "principal" (each along its own path)."""
    if kind not in ("random", "principal"):
        raise ValueError(f"a bowl and a landscape are sliced at random or along their paths, not {kind!r}")
    bowl = network_surface_view(logistic_network(net), X, Y, logistic_theta, logistic_path, kind, grid, extent,
                                seed)
    landscape = network_surface_view(net, X, Y, network_theta, network_path, kind, grid, extent, seed)
    return bowl, landscape
