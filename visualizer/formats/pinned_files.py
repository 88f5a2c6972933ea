"""The cost curves kept in the cost panel, in a session file. No Qt.

Two optional entries: ``pinned``, a JSON list of {"label", "short", "m", "points"}, and ``pinned_values``,
the curves one after the other, each as four rows (iterations, examples seen, J, α) of its points.
Older sessions have neither: they open with no curve kept. Reading checks every field and length
before anything is built, so a damaged entry is refused with a message naming the file.
"""

from __future__ import annotations

import json

import numpy as np

from visualizer.formats.npz_reader import Spec, text
from visualizer.fs.atomic import StorageError
from visualizer.model.constraints import COUNT_BOUND, check
from visualizer.model.pinned import MAX_PINNED, MAX_POINTS, PinnedCurve

LABEL_CHARS = 1000
SPECS = {"pinned": text(MAX_PINNED * (LABEL_CHARS + 100)),
         "pinned_values": Spec("f", 1, 8 * 4 * MAX_PINNED * MAX_POINTS)}


def arrays(curves) -> dict[str, np.ndarray]:
    """The entries for ``curves``; none for none (the file stays as older versions wrote it)."""
    if not curves:
        return {}
    head = [{"label": c.label, "short": c.short, "m": c.m, "points": int(c.costs.size)} for c in curves]
    values = np.concatenate([np.concatenate([c.iterations, c.seen, c.costs, c.alphas]).astype(np.float64)
                             for c in curves])
    return {"pinned": np.array(json.dumps(head, ensure_ascii=False)), "pinned_values": values}


def read(a, path) -> tuple[PinnedCurve, ...]:
    if "pinned" not in a and "pinned_values" not in a:
        return ()
    where = f"{path}: the kept curves ('pinned')"
    if "pinned" not in a or "pinned_values" not in a:
        raise StorageError(f"{where} need both entries, 'pinned' and 'pinned_values'")
    try:
        head = json.loads(str(a["pinned"][()]))
    except (ValueError, RecursionError):
        raise StorageError(f"{where} are not valid JSON") from None
    if not isinstance(head, list) or len(head) > MAX_PINNED or not all(
            isinstance(h, dict) and set(h) == {"label", "short", "m", "points"} for h in head):
        raise StorageError(f"{where} must be a list of at most {MAX_PINNED} objects with a label, a short "
                           "label, m and points")
    values = a["pinned_values"].astype(np.float64, copy=False)
    need = sum(4 * h["points"] for h in head if type(h["points"]) is int)
    if values.size != need or not np.all(np.isfinite(values)):
        raise StorageError(f"{where}: 'pinned_values' must hold {need} finite numbers, not {values.size}")
    curves, at = [], 0
    for k, h in enumerate(head, start=1):
        label, short, m, n = h["label"], h["short"], h["m"], h["points"]
        if not all(isinstance(t, str) and t.strip() and len(t) <= LABEL_CHARS for t in (label, short)) \
                or type(m) is not int \
                or not 1 <= m <= COUNT_BOUND or type(n) is not int or not 0 <= n <= MAX_POINTS:
            raise StorageError(f"{where}: curve {k} needs labels of at most {LABEL_CHARS} characters, "
                               f"m from 1 to {COUNT_BOUND} and at most {MAX_POINTS} points")
        its, seen, costs, alphas = values[at: at + 4 * n].reshape(4, n)
        at += 4 * n
        if np.any(its != np.floor(its)) or np.any(its < 0) or np.any(np.diff(its) <= 0) or np.any(seen < 0) \
                or np.any(np.diff(seen) < 0) or np.any(costs < 0):
            raise StorageError(f"{where}: curve {k} must have whole, increasing iterations, examples seen that "
                               "never go down and costs >= 0")
        try:
            for alpha in set(alphas.tolist()):
                check("alpha", alpha)
        except ValueError as exc:
            raise StorageError(f"{where}: curve {k}: {exc}") from None
        curves.append(PinnedCurve(label, short, its.astype(np.int64), seen.copy(), costs.copy(), alphas.copy(), m))
    return tuple(curves)
