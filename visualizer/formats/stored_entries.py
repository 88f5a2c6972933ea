"""Reading the entries of the program's own .npz files (models and sessions), each checked before use.

``read_stored`` opens a file through visualizer.formats.npz_reader (no pickles, every size checked before
anything is unpacked) after checking its format and version; the other functions read one entry each and
raise StorageError naming the file and the entry, so a bad file is one clear sentence and changes nothing.
"""

from __future__ import annotations

import json
import os
import unicodedata

import numpy as np

from visualizer.data.images import N_PX_RANGE
from visualizer.formats.npz_reader import SCALAR, NpzError, Spec, read_npz
from visualizer.fs.atomic import StorageError
from visualizer.fs.files import require_regular
from visualizer.model.constraints import check

#: What a file of each format is called in messages.
KINDS = {"visualizer-model": "a model", "visualizer-session": "a session"}
#: The most numbers one image's w holds (the largest images), and the entries holding w, the classes, α changes.
W_MAX = 3 * N_PX_RANGE[1] ** 2
MAX_ALPHA_CHANGES = 10**6
CLASS_CHARS = 256
CLASSES = Spec("U", 1, 16 * 4 * CLASS_CHARS, max_itemsize=4 * CLASS_CHARS)
W_ENTRY = Spec("f", 1, 8 * W_MAX)
ALPHAS = Spec("f", 2, 16 * MAX_ALPHA_CHANGES)


def read_stored(path: str | os.PathLike, expected_format: str, newest: int, specs: dict[str, Spec],
                strict: bool = True) -> dict[str, np.ndarray]:
    """Every entry of ``path`` within its spec (``strict``: an entry without one is refused; else left unread);
    the format and the version (at most ``newest``) are checked first."""
    require_regular(path, StorageError)
    try:
        with open(path, "rb") as f:
            head = read_npz(f, {"format": specs["format"], "version": SCALAR}, strict=False)
            fmt = str(head["format"][()]) if "format" in head else None
            if fmt != expected_format:
                said = "it has no 'format' entry" if fmt is None else f"it says {fmt[:60]!r}"
                raise StorageError(f"{path}: not {KINDS[expected_format]} file ({said})")
            version = whole(head, "version", path, 1, 10**6)
            if version > newest:
                raise StorageError(f"{path}: written by a newer visualizer (format {version}; "
                                   f"this one reads {newest})")
            f.seek(0)
            return read_npz(f, specs, strict=strict)
    except NpzError as exc:
        raise StorageError(f"{path}: {exc}") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def need(a, key, path) -> np.ndarray:
    if key not in a:
        raise StorageError(f"{path}: the entry {key!r} is missing")
    return a[key]


def floats(a, key, path) -> np.ndarray:
    v = need(a, key, path).astype(np.float64, copy=False)
    if not np.all(np.isfinite(v)):
        raise StorageError(f"{path}: the entry {key!r} holds NaN or infinite values")
    return v


def whole(a, key, path, lo: int, hi: int) -> int:
    v = float(floats(a, key, path)[()]) if need(a, key, path).dtype.kind == "f" else int(a[key][()])
    if v != int(v) or not lo <= v <= hi:
        raise StorageError(f"{path}: the entry {key!r} is {v:g}; it must be a whole number from {lo} to {hi}")
    return int(v)


def text_of(a, key, path) -> str:
    return str(need(a, key, path)[()])


def sentence_of(a, key, path) -> str:
    """A sentence the window shows as it is: a file's control and format characters (a newline, ESC, a
    right-to-left override) would break its one line or turn its text round, so each is a space."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text_of(a, key, path))
    return " ".join(text.split())


def json_of(a, key, path, what: str):
    try:
        return json.loads(text_of(a, key, path))
    except RecursionError:
        raise StorageError(f"{path}: {what} ({key!r}) are nested too deeply") from None
    except ValueError:
        raise StorageError(f"{path}: {what} ({key!r}) are not valid JSON") from None


def classes_of(a, path) -> tuple[str, str]:
    c = need(a, "classes", path)
    if c.size != 2:
        raise StorageError(f"{path}: the entry 'classes' must name two classes, not {c.size}")
    names = (str(c[0]), str(c[1]))
    if not all(n.strip() for n in names) or names[0] == names[1]:
        raise StorageError(f"{path}: the entry 'classes' must hold two different, non-empty names, "
                           f"not {names[0][:40]!r} and {names[1][:40]!r}")
    return names


def alpha_changes_of(a, path, last: int | None) -> list[tuple[int, float]]:
    """(iteration, alpha) rows: from 0, increasing, whole iterations up to ``last``, valid alphas."""
    c = floats(a, "alpha_changes", path)
    if c.ndim != 2 or c.shape[1] != 2 or len(c) == 0:
        raise StorageError(f"{path}: the entry 'alpha_changes' must have shape (k, 2) with k >= 1, not {c.shape}")
    its = c[:, 0]
    if its[0] != 0 or np.any(np.diff(its) <= 0) or np.any(its != np.floor(its)) or \
            (last is not None and its[-1] > last):
        raise StorageError(f"{path}: the entry 'alpha_changes' must start at iteration 0 and go up in whole "
                           f"iterations{'' if last is None else f' to at most {last}'}")
    try:
        return [(int(i), check("alpha", float(al))) for i, al in c]
    except ValueError as exc:
        raise StorageError(f"{path}: the entry 'alpha_changes': {exc}") from None

