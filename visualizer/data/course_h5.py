"""The course's .h5 files: ``*_set_x`` (m, n_px, n_px, 3) uint8, ``*_set_y`` and ``list_classes``.

An .h5 file can declare far more than it holds and can point at data elsewhere on the
machine, so everything is checked from the metadata before anything is read: datasets
stored in the file itself (no links, external storage or virtual datasets), their
shapes and types, that they were written, and that the set fits in memory. The images
are then read a block at a time straight into the final uint8 array.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
from PIL import Image

from visualizer.data.dataset import DataError, Dataset, ImageSet
from visualizer.data.images import MAX_MEGAPIXELS, N_PX_RANGE, preprocess
from visualizer.data.memory import memory_problem
from visualizer.fs.files import require_regular

#: Images are read (and checked, converted or resized) this many bytes at a time.
BLOCK_BYTES = 32 * 2**20
MAX_CLASS_CHARS = 100
ELSEWHERE = "only data stored in the file itself is read"


def read_course_h5(path: str | os.PathLike, n_px: int | None = None) -> Dataset:
    """The Dataset of a course .h5 file; ``n_px`` resizes its images (needed outside 16..256 px)."""
    return read_course_images(path, n_px).dataset()


def read_course_images(path: str | os.PathLike, n_px: int | None = None) -> ImageSet:
    """Images, labels and class names of a course .h5 file, before X is built."""
    path = require_regular(path, DataError)
    import h5py

    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise DataError(f"{path}: not a readable HDF5 file ({_short(exc)})") from None
    with f:
        try:
            return _read(path, f, n_px)
        except DataError:
            raise
        except MemoryError:
            raise DataError(f"{path}: not enough memory to read it") from None
        except Exception as exc:  # h5py raises many types for damaged files
            raise DataError(f"{path}: cannot read its datasets ({_short(exc)})") from None


def _read(path: Path, f, n_px: int | None) -> ImageSet:
    keys = list(f.keys())  # lists links without following them
    # Plain short names only, so they can be quoted in a one-line message as they are.
    x_key = _one(path, keys, r"[\w .-]{0,60}_set_x", "images (a dataset named like train_set_x)")
    y_key = _one(path, keys, r"[\w .-]{0,60}_set_y", "labels (a dataset named like train_set_y)")
    x, y = _stored(path, f, x_key), _stored(path, f, y_key)
    m, side = _check_images(path, x_key, x)
    _check_labels(path, y_key, y, m)
    low, high = N_PX_RANGE
    if n_px is None and not low <= side <= high:
        raise DataError(f"{path}: its images are {side}x{side} px; the model needs {low} to {high} px "
                        "(--n-px resizes them)")
    if side * side > MAX_MEGAPIXELS * 1_000_000:
        raise DataError(f"{path}: its images are {side}x{side} px, too large to resize")
    target = n_px or side
    block = _block_rows(x)
    converted = x.dtype != np.uint8 or target != side  # else read straight into the images
    problem = memory_problem(m, target, extra=converted * block * side * side * 3 * x.dtype.itemsize
                             + _chunk_bytes(x))
    if problem:
        raise DataError(f"{path}: {problem}")
    classes = _classes(path, f) if "list_classes" in keys else ("non-cat", "cat")
    _check_written(path, x_key, x, m, "images")
    _check_written(path, y_key, y, m, "labels")
    labels = _labels(path, y_key, y)
    images = _images(path, x_key, x, target, block)
    return ImageSet(images, labels, [f"{path.name}[{i}]" for i in range(m)], classes, str(path))


def _stored(path: Path, f, key: str):
    """The dataset ``key`` when it is one stored in this file; links and outside data are refused."""
    import h5py

    link = f.get(key, getlink=True)
    if isinstance(link, h5py.ExternalLink):
        raise DataError(f"{path}: {key} is a link to another file ({_clean(link.filename, 200)}); {ELSEWHERE}")
    if isinstance(link, h5py.SoftLink):
        raise DataError(f"{path}: {key} is a link to {_clean(link.path)}, not a dataset; {ELSEWHERE}")
    d = f[key]
    if not isinstance(d, h5py.Dataset):
        raise DataError(f"{path}: {key} is a group, not a dataset")
    if d.is_virtual:
        raise DataError(f"{path}: {key} is a virtual dataset mapping other datasets; {ELSEWHERE}")
    if d.external:
        raise DataError(f"{path}: {key} keeps its data in another file ({_clean(d.external[0][0], 200)}); {ELSEWHERE}")
    if d.shape is None:
        raise DataError(f"{path}: {key} is empty (it has no shape)")
    return d


def _check_images(path: Path, key: str, x) -> tuple[int, int]:
    """(m, n_px) from the declared shape and type."""
    if len(x.shape) != 4 or x.shape[3] != 3 or x.shape[1] != x.shape[2]:
        raise DataError(f"{path}: {key} has shape {x.shape}; expected (m, n_px, n_px, 3)")
    if x.dtype.kind not in "uif" or x.dtype.names or x.dtype.subdtype:
        raise DataError(f"{path}: {key} must hold 8-bit pixel values 0..255, found {_type_text(x.dtype)}")
    if x.shape[0] == 0:
        raise DataError(f"{path}: {key} holds no images (0 examples)")
    if x.shape[1] == 0:
        raise DataError(f"{path}: {key} holds images of 0x0 px")
    return x.shape[0], x.shape[1]


def _check_labels(path: Path, key: str, y, m: int) -> None:
    if y.dtype.kind not in "uifb" or y.dtype.names or y.dtype.subdtype:
        raise DataError(f"{path}: labels in {key} must be numbers 0 or 1, found {_type_text(y.dtype)}")
    if y.shape == ():
        raise DataError(f"{path}: {key} holds a single value, not one label per image")
    if y.size != m:
        raise DataError(f"{path}: {m:,} images but {y.size:,} labels in {key}")
    if sorted(y.shape)[:-1] != [1] * (len(y.shape) - 1):
        raise DataError(f"{path}: {key} has shape {y.shape}; expected one row of {m:,} labels")


def _check_written(path: Path, key: str, d, m: int, what: str) -> None:
    """Unwritten data reads as the fill value: 100,000 blank images from an 800 KB file."""
    if d.id.get_storage_size() == 0:
        raise DataError(f"{path}: {key} declares {m:,} {what} but holds no data (it was never written)")
    if d.chunks is None:
        return
    expected = math.prod(math.ceil(s / c) for s, c in zip(d.shape, d.chunks, strict=True))
    try:
        written = d.id.get_num_chunks()
    except (AttributeError, NotImplementedError):  # HDF5 before 1.10.5 cannot count them
        return
    if written < expected:
        raise DataError(f"{path}: {key} declares {m:,} {what} but only {written:,} of its {expected:,} "
                        "chunks were ever written")


def _labels(path: Path, key: str, y) -> np.ndarray:
    values = np.asarray(y[()]).reshape(-1)
    ok = (values == 0) | (values == 1)
    if not ok.all():
        found = ", ".join(f"{v:g}" for v in np.unique(values[~ok].astype(np.float64))[:5])
        raise DataError(f"{path}: labels in {key} must be 0 or 1, found {found}")
    return values.astype(np.int64)


def _block_rows(x) -> int:
    """Images per read: about BLOCK_BYTES, and whole chunks so none is decompressed twice."""
    rows = max(1, BLOCK_BYTES // max(1, math.prod(x.shape[1:]) * x.dtype.itemsize))
    if x.chunks is not None:
        step = x.chunks[0]
        rows = max(step, rows // step * step)
    return min(rows, x.shape[0])


def _chunk_bytes(x) -> int:
    return 0 if x.chunks is None else math.prod(x.chunks) * x.dtype.itemsize


def _images(path: Path, key: str, x, target: int, rows: int) -> np.ndarray:
    m, side = x.shape[0], x.shape[1]
    images = np.empty((m, target, target, 3), np.uint8)
    for start in range(0, m, rows):
        part = np.s_[start : min(start + rows, m)]
        if x.dtype == np.uint8 and target == side:
            x.read_direct(images, part, part)
            continue
        block = _as_uint8(path, key, x[part])
        if target == side:
            images[part] = block
        else:
            for i, img in enumerate(block, start):
                images[i] = preprocess(Image.fromarray(img), target)
    return images


def _as_uint8(path: Path, key: str, block: np.ndarray) -> np.ndarray:
    """Pixels of another numeric type, refused unless they are whole numbers 0..255."""
    if block.dtype == np.uint8:
        return block
    if block.dtype.kind == "f":
        if not np.isfinite(block).all():
            raise DataError(f"{path}: {key} holds NaN or infinite pixel values; expected 0..255")
        if (np.mod(block, 1) != 0).any():
            raise DataError(f"{path}: {key} holds pixel values that are not whole numbers; expected 0..255")
    low, high = block.min(), block.max()
    if low < 0 or high > 255:
        raise DataError(f"{path}: {key} must hold 8-bit pixel values 0..255, found {low:g} to {high:g}")
    return block.astype(np.uint8)


def default_test_file(train: str | os.PathLike) -> Path | None:
    """``test_X.h5`` beside ``train_X.h5``, the course's naming, when it exists (even if unreadable)."""
    train = Path(train)
    if train.suffix.lower() in (".h5", ".hdf5") and train.name.startswith("train_"):
        candidate = train.with_name("test_" + train.name[len("train_") :])
        if candidate.exists():
            return candidate
    return None


def _one(path: Path, keys: list[str], pattern: str, what: str) -> str:
    hits = [k for k in keys if re.fullmatch(pattern, k)]
    if len(hits) != 1:
        found = ", ".join(_clean(k) for k in keys[:10]) + (f" and {len(keys) - 10:,} more" if len(keys) > 10 else "")
        raise DataError(f"{path}: expected one dataset of {what}; it holds {found or 'nothing'}")
    return hits[0]


def _classes(path: Path, f) -> tuple[str, str]:
    import h5py

    d = _stored(path, f, "list_classes")
    if h5py.check_string_dtype(d.dtype) is None and d.dtype.kind != "S":
        raise DataError(f"{path}: list_classes must hold two class names, found {_type_text(d.dtype)}")
    if d.shape != (2,):
        raise DataError(f"{path}: list_classes must name two classes, found shape {d.shape}")
    if d.dtype.itemsize > 4 * MAX_CLASS_CHARS:
        raise DataError(f"{path}: list_classes holds names of {d.dtype.itemsize:,} bytes; "
                        f"at most {MAX_CLASS_CHARS} characters")
    names = [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in d[()]]
    for name in names:
        if len(name) > MAX_CLASS_CHARS:
            raise DataError(f"{path}: list_classes names a class of {len(name):,} characters; "
                            f"at most {MAX_CLASS_CHARS}")
        if not name.strip() or not name.isprintable():
            raise DataError(f"{path}: list_classes holds an empty or unprintable class name ({_clean(name)})")
    if names[0].lower() == names[1].lower():
        raise DataError(f"{path}: list_classes names the same class twice ({names[0]})")
    return names[0], names[1]


def _type_text(dtype: np.dtype) -> str:
    import h5py

    if h5py.check_string_dtype(dtype) is not None or dtype.kind in "SU":
        return "text"
    if h5py.check_ref_dtype(dtype) is not None:
        return "object references"
    if dtype.names:
        return f"a compound type ({', '.join(dtype.names[:5])})"
    if dtype.subdtype is not None:
        return f"arrays of {dtype.subdtype[1]} per value"
    if h5py.check_vlen_dtype(dtype) is not None:
        return "variable-length sequences"
    return {"b": "true/false values", "c": "complex numbers", "V": "raw bytes (opaque)"}.get(dtype.kind, str(dtype))


def _clean(text, limit: int = 60) -> str:
    """Names taken from the file, made safe for a one-line message: escaped and shortened."""
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(exc: BaseException) -> str:
    return _clean(str(exc).strip().splitlines()[0]) if str(exc).strip() else type(exc).__name__
