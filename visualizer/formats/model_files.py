"""Model files: what ``visualizer predict`` needs to classify images as the trained run does.

Logistic regression's file holds w and b (format version 1, as ever). A network's (version 2: an older
visualizer says it was written by a newer one) holds its layer sizes, the hidden layers' activation and each
layer's W_l, shape (n_l, n_{l-1}), and b_l, shape (n_l, 1), under the course's names W1, b1, W2, ... Both
hold n_px, the classes, how images are prepared, the α changes and the run's metrics.

Reading goes through visualizer.formats.stored_entries: no pickles, every size checked before anything is
unpacked. A network's layer sizes are read and checked first (whole, from 3·n_px² inputs to one output, at
most NETWORK_MAX_PARAMETERS in all); each W_l and b_l may then hold exactly its own layer's numbers, so a
header declaring more is refused before any data is read, and one of another shape is named.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass

import numpy as np

from visualizer.core.models.activations import ACTIVATIONS
from visualizer.core.models.network import Network, output_z
from visualizer.data.images import N_PX_RANGE
from visualizer.formats.npz_reader import SCALAR, Spec, text
from visualizer.formats.stored_entries import (
    ALPHAS,
    CLASSES,
    W_ENTRY,
    alpha_changes_of,
    classes_of,
    floats,
    json_of,
    need,
    read_stored,
    text_of,
    whole,
)
from visualizer.fs.atomic import StorageError, atomic_save
from visualizer.model.constraints import LAYERS_BOUND, UNITS_BOUND
from visualizer.model.settings import NETWORK_MAX_PARAMETERS

MODEL_FORMAT = "visualizer-model"
LOGISTIC_VERSION, NETWORK_VERSION = 1, 2
PREPROCESSING = ("decode with Pillow (EXIF rotation applied, transparency on white, 8-bit RGB), centre-crop to "
                 "a square, Lanczos resize to n_px x n_px, unroll in the course's order, divide by 255")

_COMMON = {"format": text(64), "version": SCALAR, "n_px": SCALAR, "classes": CLASSES,
           "preprocessing": text(4096), "alpha_changes": ALPHAS, "metrics": text(2**18)}
MODEL_SPECS = {**_COMMON, "w": W_ENTRY, "b": SCALAR}
#: n_x, every hidden layer's units, the output's 1.
_SIZES = Spec("iu", 1, 8 * (LAYERS_BOUND + 2))
#: What is read first to tell the two kinds apart, and to size a network's entries.
_HEAD = {"format": text(64), "version": SCALAR, "n_px": SCALAR, "layer_sizes": _SIZES}


@dataclass
class Model:
    """Logistic regression: ŷ = σ(w·x + b)."""

    w: np.ndarray
    b: float
    n_px: int
    classes: tuple[str, str]
    alpha_changes: list[tuple[int, float]]
    metrics: dict

    def z(self, X: np.ndarray) -> np.ndarray:
        """z of each column of X (n_x, m)."""
        return self.w @ X + self.b


@dataclass
class NetworkModel:
    """A network: ŷ = σ(Z_L), its θ in visualizer.core.models.network's layout."""

    net: Network
    theta: np.ndarray
    n_px: int
    classes: tuple[str, str]
    alpha_changes: list[tuple[int, float]]
    metrics: dict

    def z(self, X: np.ndarray) -> np.ndarray:
        """Z_L of each column of X (n_x, m)."""
        return output_z(self.net, self.theta, X).reshape(-1)


# ---------------------------------------------------------------------- writing
def _finite_or_none(metrics: dict) -> dict:
    """NaN (a test cost on no examples) is not JSON: it is written, and read, as null."""
    return {k: v if v is None or math.isfinite(v) else None for k, v in metrics.items()}


def _common(version: int, n_px, classes, alpha_changes, metrics) -> dict[str, np.ndarray]:
    return {"format": np.array(MODEL_FORMAT), "version": np.array(version), "n_px": np.array(int(n_px)),
            "classes": np.array(list(classes)), "preprocessing": np.array(PREPROCESSING),
            "alpha_changes": np.array(alpha_changes, dtype=np.float64).reshape(-1, 2),
            "metrics": np.array(json.dumps(_finite_or_none(metrics), allow_nan=False))}


def save_model(path, w, b, n_px, classes, alpha_changes, metrics) -> None:
    """Logistic regression's w and b."""
    atomic_save(path, {**_common(LOGISTIC_VERSION, n_px, classes, alpha_changes, metrics),
                       "w": np.asarray(w, dtype=np.float64), "b": np.array(float(b))})


def save_network_model(path, net: Network, theta: np.ndarray, n_px, classes, alpha_changes, metrics) -> None:
    """A network's layer sizes, activation and each W_l, b_l (its θ in network.py's layout). A θ that is not
    finite (a run that overflowed) is refused, as reading it back would be."""
    theta = np.asarray(theta, dtype=np.float64)
    if not np.all(np.isfinite(theta)):
        raise StorageError(f"{path}: not saved: the network's parameters are not all finite numbers")
    arrays = {**_common(NETWORK_VERSION, n_px, classes, alpha_changes, metrics),
              "layer_sizes": np.array(net.sizes, dtype=np.int64), "activation": np.array(net.activation)}
    for l, (W, b) in enumerate(net.split(theta), start=1):
        arrays[f"W{l}"], arrays[f"b{l}"] = W.copy(), b.copy()
    atomic_save(path, arrays)


# ---------------------------------------------------------------------- reading
def load_model(path) -> Model | NetworkModel:
    """The model of ``path``, everything checked; any problem is a StorageError naming the file and the entry."""
    head = read_stored(path, MODEL_FORMAT, NETWORK_VERSION, _HEAD, strict=False)
    if "layer_sizes" not in head:
        return _logistic(read_stored(path, MODEL_FORMAT, NETWORK_VERSION, MODEL_SPECS), path)
    sizes = _layer_sizes(head, path)
    return _network(read_stored(path, MODEL_FORMAT, NETWORK_VERSION, _network_specs(sizes)), path, sizes)


def _model_metrics(a, path) -> dict:
    metrics = json_of(a, "metrics", path, "its metrics")
    if not isinstance(metrics, dict) or not all(  # an int past any float (10^400) cannot be said as one
            v is None or isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)
                                                  and abs(v) <= sys.float_info.max) for v in metrics.values()):
        raise StorageError(f"{path}: its metrics ('metrics') must be a JSON object of numbers")
    return _finite_or_none(metrics)


def _n_px(a, path) -> int:
    return whole(a, "n_px", path, *N_PX_RANGE)


def _logistic(a, path) -> Model:
    n_px = _n_px(a, path)
    w = floats(a, "w", path)
    if w.size != 3 * n_px * n_px:
        raise StorageError(f"{path}: the entry 'w' has {w.size} values, but n_px = {n_px} needs {3 * n_px * n_px}")
    classes = classes_of(a, path)
    changes = alpha_changes_of(a, path, None)
    metrics = _model_metrics(a, path)
    return Model(w, float(floats(a, "b", path)[()]), n_px, classes, changes, metrics)


def _layer_sizes(head, path) -> tuple[int, ...]:
    """(n_x, n_1, ..., 1): n_x = 3·n_px², 1 to LAYERS_BOUND hidden layers of 1 to UNITS_BOUND units, one output."""
    n_px = _n_px(head, path)
    sizes = tuple(int(v) for v in need(head, "layer_sizes", path))
    if not 3 <= len(sizes) <= LAYERS_BOUND + 2:
        raise StorageError(f"{path}: the entry 'layer_sizes' must list n_x, 1 to {LAYERS_BOUND} hidden layers and "
                           f"the output's 1, not {len(sizes)} numbers")
    if sizes[0] != 3 * n_px * n_px or sizes[-1] != 1:
        raise StorageError(f"{path}: the entry 'layer_sizes' must go from n_x = {3 * n_px * n_px} inputs "
                           f"(n_px = {n_px}) to 1 output, not from {sizes[0]} to {sizes[-1]}")
    if not all(1 <= n <= UNITS_BOUND for n in sizes[1:-1]):
        raise StorageError(f"{path}: the entry 'layer_sizes' must give each hidden layer 1 to {UNITS_BOUND:,} "
                           f"units, not {', '.join(map(str, sizes[1:-1]))[:80]}")
    if (size := Network(sizes[0], sizes[1:-1]).size) > NETWORK_MAX_PARAMETERS:
        raise StorageError(f"{path}: its layers {', '.join(map(str, sizes))} have {size:,} parameters; "
                           f"at most {NETWORK_MAX_PARAMETERS:,} are read")
    return sizes


def _network_specs(sizes: tuple[int, ...]) -> dict[str, Spec]:
    """Each W_l and b_l holds exactly its layer's numbers (n_l·n_{l-1} and n_l), and no more."""
    specs = {**_COMMON, "layer_sizes": _SIZES, "activation": text(32)}
    for l, (p, n) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        specs[f"W{l}"], specs[f"b{l}"] = Spec("f", 2, 8 * n * p), Spec("f", 2, 8 * n)
    return specs


def _network(a, path, sizes: tuple[int, ...]) -> NetworkModel:
    activation = text_of(a, "activation", path)
    if activation not in ACTIVATIONS:
        raise StorageError(f"{path}: the entry 'activation' is {activation[:40]!r}; it must be one of "
                           f"{', '.join(ACTIVATIONS)}")
    net = Network(sizes[0], sizes[1:-1], activation=activation)
    params = []
    for l, (p, n) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        W, b = floats(a, f"W{l}", path), floats(a, f"b{l}", path)
        for key, value, shape in ((f"W{l}", W, (n, p)), (f"b{l}", b, (n, 1))):
            if value.shape != shape:
                units = f"{n} unit{'s' * (n != 1)}"
                raise StorageError(f"{path}: the entry {key!r} has shape {value.shape}; layer {l} of "
                                   f"{', '.join(map(str, sizes))} takes {p} inputs to {units}, so it must be {shape}")
        params.append((W, b))
    classes = classes_of(a, path)
    changes = alpha_changes_of(a, path, None)
    return NetworkModel(net, net.join(params), _n_px(a, path), classes, changes, _model_metrics(a, path))
