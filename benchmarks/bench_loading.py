"""Folder loading against a plain single-threaded Pillow loop, side by side in one run.

Goal (issue 3): 1,000 JPEG photos of 500 x 375 load at least 4x faster than
open -> convert("RGB") -> resize((64, 64)) one by one. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.data import load_folder  # noqa: E402

N, SIZE = 1000, (500, 375)


def make_photos(root: Path) -> list[Path]:
    """Photo-like JPEGs: smooth shapes plus sensor noise, so they compress like real ones."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0 : SIZE[1], 0 : SIZE[0]]
    paths = []
    for i in range(N):
        cls = "cat" if i % 3 == 0 else "non-cat"
        cx, cy, r = rng.uniform(100, 400), rng.uniform(80, 300), rng.uniform(40, 150)
        base = rng.uniform(40, 200, 3)
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None] * rng.uniform(-80, 80, 3)
        shade = (xx / SIZE[0])[..., None] * rng.uniform(-40, 40, 3)
        img = base + blob + shade + rng.normal(0, 8, (SIZE[1], SIZE[0], 3))
        path = root / cls / f"{i:04d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
        paths.append(path)
    return paths


def plain_loop(paths: list[Path]) -> np.ndarray:
    out = []
    for p in paths:
        with Image.open(p) as img:
            out.append(np.asarray(img.convert("RGB").resize((64, 64))))
    return np.stack(out)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_photos(root)
        plain_loop(paths[:50])  # warm the file cache for both
        t = time.perf_counter()
        baseline = plain_loop(paths)
        plain_s = time.perf_counter() - t
        t = time.perf_counter()
        data = load_folder(root)
        ours_s = time.perf_counter() - t
    assert data.m == baseline.shape[0] == N
    print(json.dumps({
        "benchmark": "loading",
        "images": N,
        "size": f"{SIZE[0]}x{SIZE[1]} JPEG",
        "plain_pillow_loop_s": round(plain_s, 3),
        "ours_s": round(ours_s, 3),
        "speedup": round(plain_s / ours_s, 2),
        "speedup_goal": 4,
        "method": "JPEG draft-mode decoding + thread pool",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
