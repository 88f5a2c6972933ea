"""Folder loading against a plain single-threaded Pillow loop, side by side in one run.

Goals: 1,000 JPEG photos of 500 x 375 load at least 4x faster than open ->
convert("RGB") -> resize((64, 64)) one by one (the first open, cache empty); the second
open (files unchanged, cache warm) is at least 20x faster than the first; a folder of
20,000 opens warm in under 2 s, in a fresh process as a restarted app would: its images
(``load_folder_images``) and the whole ``load_data`` (X in float32 and the split too). Before
a reopen is timed, what the first open wrote is flushed to disk (``os.sync``), as it is long
before a user opens the folder again.
The cache lives in a temporary folder. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.data import cache_size, load_folder  # noqa: E402

N, SIZE = 1000, (500, 375)
#: Files older than this are the "unchanged" files of a reopened folder (the cache does not
#: trust a file changed in the last two seconds).
AGE_S = 60


def make_photos(root: Path, n: int = N, size: tuple[int, int] = SIZE, seed: int = 0) -> list[Path]:
    """Photo-like JPEGs: smooth shapes plus sensor noise, so they compress like real ones."""
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    paths = []
    for i in range(n):
        cls = "cat" if i % 3 == 0 else "non-cat"
        cx, cy, r = rng.uniform(w * 0.2, w * 0.8), rng.uniform(h * 80 / 375, h * 0.8), rng.uniform(w * 0.08, w * 0.3)
        base = rng.uniform(40, 200, 3)
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None] * rng.uniform(-80, 80, 3)
        shade = (xx / w)[..., None] * rng.uniform(-40, 40, 3)
        img = base + blob + shade + rng.normal(0, 8, (h, w, 3))
        path = root / cls / f"{i:05d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
        paths.append(path)
    old = time.time() - AGE_S
    for path in paths:
        os.utime(path, (old, old))
    return paths


def plain_loop(paths: list[Path]) -> np.ndarray:
    out = []
    for p in paths:
        with Image.open(p) as img:
            out.append(np.asarray(img.convert("RGB").resize((64, 64))))
    return np.stack(out)


def bare_draft_loop(paths: list[Path]) -> list[np.ndarray]:
    """The floor for these pixels: draft decode, crop and Lanczos on two threads, nothing else."""
    def one(p):
        with Image.open(p) as img:
            img.draft("RGB", (85, 64))
            side = min(img.size)
            left, top = (img.width - side) // 2, (img.height - side) // 2
            square = img.crop((left, top, left + side, top + side))
            return np.asarray(square.resize((64, 64), Image.Resampling.LANCZOS, reducing_gap=3.0))

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, paths, chunksize=16))


def settle_disk() -> None:
    """Write out what the first open wrote (its pack, and the photos just made) before a reopen is timed.

    A reopen comes long after the first open, when the system has long flushed the pack; timed at
    once, it shared the machine with the kernel writing hundreds of megabytes to disk."""
    if hasattr(os, "sync"):
        os.sync()


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def fresh_process_open(folder: Path, module: str, function: str) -> float:
    """Seconds ``module.function(folder)`` takes in a new interpreter (imports not counted)."""
    code = (f"import time; from {module} import {function}; t = time.perf_counter(); "
            f"{function}({str(folder)!r}); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=20_000, help="files of the large folder (0: skip it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["VISUALIZER_CACHE_DIR"] = str(root / "cache")
        paths = make_photos(root / "photos")
        plain_loop(paths[:50])  # warm the file cache for both
        baseline, plain_s = timed(lambda: plain_loop(paths))
        _, bare_s = timed(lambda: bare_draft_loop(paths))
        first, first_s = timed(lambda: load_folder(root / "photos"))
        settle_disk()
        second, second_s = timed(lambda: load_folder(root / "photos"))
        assert first.m == baseline.shape[0] == N
        assert np.array_equal(first.images, second.images) and first.names == second.names
        result = {
            "benchmark": "loading",
            "images": N,
            "size": f"{SIZE[0]}x{SIZE[1]} JPEG",
            "plain_pillow_loop_s": round(plain_s, 3),
            "first_open_s": round(first_s, 3),
            "speedup": round(plain_s / first_s, 2),
            "speedup_goal": 4,
            "bare_draft_two_threads_speedup": round(plain_s / bare_s, 2),
            "second_open_s": round(second_s, 3),
            "second_vs_first": round(first_s / second_s, 1),
            "second_vs_first_goal": 20,
            "cache_mb": round(cache_size() / 2**20, 1),
        }
        if args.large:
            big = root / "large"
            make_photos(big, args.large, (96, 72), seed=1)
            _, large_first_s = timed(lambda: load_folder(big))
            settle_disk()
            images_s = fresh_process_open(big, "visualizer.data.folders", "load_folder_images")
            load_data_s = fresh_process_open(big, "visualizer.data", "load_data")
            result.update({
                "large_images": args.large,
                "large_size": "96x72 JPEG",
                "large_first_open_s": round(large_first_s, 2),
                "large_warm_images_fresh_process_s": round(images_s, 3),
                "large_warm_load_data_fresh_process_s": round(load_data_s, 3),
                "large_warm_open_goal_s": 2,
            })
    result["method"] = "JPEG draft-mode decoding + thread pool; a per-folder pack of decoded images"
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
