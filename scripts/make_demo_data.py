"""Draws the built-in demo set: cartoon cats and many kinds of non-cats, 64 x 64 PNG.

Deterministic (seeded): running it again writes the same images. The app ships these,
since the course's own images cannot be redistributed and the app never downloads.

    python scripts/make_demo_data.py [OUT_DIR]   (default: assets/demo)
"""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = 64
SCALE = 4  # drawn at 256 px, then reduced, for smooth edges
SPLITS = {"train": (70, 140), "test": (17, 33)}  # (cats, non-cats): about a third are cats
SEEDS = {"train": 2026, "test": 7}

FUR = [(226, 140, 60), (120, 120, 125), (40, 38, 40), (235, 230, 220), (150, 100, 60), (240, 210, 160),
       (90, 70, 55), (200, 200, 205)]
EYES = [(120, 200, 80), (230, 200, 60), (90, 160, 220), (200, 150, 50)]


def rand_colour(rng, lo=0, hi=255):
    return tuple(int(v) for v in rng.integers(lo, hi, 3))


def background(rng) -> Image.Image:
    s = SIZE * SCALE
    a, b = np.array(rand_colour(rng, 30, 230), float), np.array(rand_colour(rng, 30, 230), float)
    t = np.linspace(0, 1, s)[:, None, None]
    if rng.random() < 0.5:
        t = t.transpose(1, 0, 2)
    img = (a * (1 - t) + b * t) * np.ones((s, s, 1))
    img = Image.fromarray(img.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(rng.integers(0, 5)):  # clutter: blobs and bars
        x, y, r = rng.integers(0, s, 2).tolist() + [int(rng.integers(10, 60))]
        d.ellipse([x - r, y - r, x + r, y + r], fill=rand_colour(rng, 20, 240))
    return img


def cat(d: ImageDraw.ImageDraw, rng, cx, cy, r):
    fur = FUR[rng.integers(len(FUR))]
    inner = (240, 160, 170)
    for side in (-1, 1):  # pointed ears
        ear = [(cx + side * 0.95 * r, cy - 0.25 * r), (cx + side * 0.75 * r, cy - 1.35 * r),
               (cx + side * 0.2 * r, cy - 0.85 * r)]
        d.polygon(ear, fill=fur)
        d.polygon([(cx + side * 0.78 * r, cy - 0.45 * r), (cx + side * 0.72 * r, cy - 1.05 * r),
                   (cx + side * 0.38 * r, cy - 0.78 * r)], fill=inner)
    d.ellipse([cx - r, cy - 0.9 * r, cx + r, cy + 0.85 * r], fill=fur)
    if rng.random() < 0.6:  # tabby stripes or a patch
        stripe = tuple(max(0, c - 70) for c in fur)
        for k in (-1, 0, 1):
            d.line([(cx + k * 0.25 * r, cy - 0.85 * r), (cx + k * 0.2 * r, cy - 0.45 * r)], fill=stripe,
                   width=max(2, int(r * 0.08)))
    elif rng.random() < 0.5:
        d.ellipse([cx - 0.9 * r, cy - 0.3 * r, cx - 0.1 * r, cy + 0.6 * r], fill=rand_colour(rng, 180, 255))
    eye = EYES[rng.integers(len(EYES))]
    for side in (-1, 1):  # almond eyes with slit pupils
        ex = cx + side * 0.4 * r
        d.ellipse([ex - 0.22 * r, cy - 0.28 * r, ex + 0.22 * r, cy + 0.02 * r], fill=eye)
        d.ellipse([ex - 0.05 * r, cy - 0.27 * r, ex + 0.05 * r, cy + 0.01 * r], fill=(10, 10, 10))
    d.polygon([(cx - 0.12 * r, cy + 0.15 * r), (cx + 0.12 * r, cy + 0.15 * r), (cx, cy + 0.3 * r)], fill=inner)
    for side in (-1, 1):  # whiskers
        for k in (-1, 0, 1):
            d.line([(cx + side * 0.2 * r, cy + 0.33 * r), (cx + side * 1.2 * r, cy + (0.25 + 0.15 * k) * r)],
                   fill=(250, 250, 250) if sum(fur) < 300 else (30, 30, 30), width=max(1, int(r * 0.03)))


def dog(d, rng, cx, cy, r):
    fur = FUR[rng.integers(len(FUR))]
    ear = tuple(max(0, c - 50) for c in fur)
    for side in (-1, 1):  # floppy ears hang down
        d.ellipse([cx + side * 0.8 * r - 0.3 * r, cy - 0.7 * r, cx + side * 0.8 * r + 0.3 * r, cy + 0.6 * r], fill=ear)
    d.ellipse([cx - 0.85 * r, cy - 0.85 * r, cx + 0.85 * r, cy + 0.9 * r], fill=fur)
    d.ellipse([cx - 0.4 * r, cy + 0.1 * r, cx + 0.4 * r, cy + 0.75 * r], fill=(235, 220, 200))
    for side in (-1, 1):
        ex = cx + side * 0.35 * r
        d.ellipse([ex - 0.12 * r, cy - 0.3 * r, ex + 0.12 * r, cy - 0.06 * r], fill=(20, 15, 10))
    d.ellipse([cx - 0.15 * r, cy + 0.15 * r, cx + 0.15 * r, cy + 0.35 * r], fill=(15, 15, 15))
    if rng.random() < 0.5:
        d.ellipse([cx - 0.1 * r, cy + 0.5 * r, cx + 0.1 * r, cy + 0.8 * r], fill=(230, 90, 110))


def bear(d, rng, cx, cy, r):
    fur = FUR[rng.integers(len(FUR))]
    for side in (-1, 1):  # round ears on top
        ex = cx + side * 0.7 * r
        d.ellipse([ex - 0.32 * r, cy - 1.1 * r, ex + 0.32 * r, cy - 0.45 * r], fill=fur)
    d.ellipse([cx - r, cy - 0.9 * r, cx + r, cy + 0.9 * r], fill=fur)
    for side in (-1, 1):
        ex = cx + side * 0.38 * r
        d.ellipse([ex - 0.1 * r, cy - 0.25 * r, ex + 0.1 * r, cy - 0.05 * r], fill=(10, 10, 10))
    d.ellipse([cx - 0.3 * r, cy + 0.05 * r, cx + 0.3 * r, cy + 0.55 * r], fill=(220, 200, 170))
    d.ellipse([cx - 0.1 * r, cy + 0.12 * r, cx + 0.1 * r, cy + 0.27 * r], fill=(20, 20, 20))


def house(d, rng, cx, cy, r):
    wall, roof = rand_colour(rng, 120, 250), rand_colour(rng, 60, 200)
    d.rectangle([cx - r, cy - 0.2 * r, cx + r, cy + r], fill=wall)
    d.polygon([(cx - 1.2 * r, cy - 0.2 * r), (cx, cy - 1.2 * r), (cx + 1.2 * r, cy - 0.2 * r)], fill=roof)
    d.rectangle([cx - 0.2 * r, cy + 0.3 * r, cx + 0.2 * r, cy + r], fill=(90, 60, 40))
    for side in (-1, 1):
        d.rectangle([cx + side * 0.6 * r - 0.18 * r, cy + 0.05 * r, cx + side * 0.6 * r + 0.18 * r, cy + 0.4 * r],
                    fill=(170, 210, 240))


def ball(d, rng, cx, cy, r):
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rand_colour(rng, 60, 255))
    stripe = rand_colour(rng, 0, 255)
    d.arc([cx - r, cy - 0.4 * r, cx + r, cy + 0.4 * r], 0, 180, fill=stripe, width=max(2, int(0.15 * r)))
    d.arc([cx - r, cy - 0.4 * r, cx + r, cy + 0.4 * r], 180, 360, fill=stripe, width=max(2, int(0.15 * r)))


def car(d, rng, cx, cy, r):
    body = rand_colour(rng, 30, 250)
    d.rounded_rectangle([cx - 1.2 * r, cy - 0.2 * r, cx + 1.2 * r, cy + 0.45 * r], radius=int(0.2 * r), fill=body)
    d.polygon([(cx - 0.7 * r, cy - 0.2 * r), (cx - 0.4 * r, cy - 0.7 * r), (cx + 0.5 * r, cy - 0.7 * r),
               (cx + 0.8 * r, cy - 0.2 * r)], fill=body)
    d.polygon([(cx - 0.55 * r, cy - 0.22 * r), (cx - 0.35 * r, cy - 0.6 * r), (cx + 0.45 * r, cy - 0.6 * r),
               (cx + 0.65 * r, cy - 0.22 * r)], fill=(180, 220, 240))
    for side in (-1, 1):
        wx = cx + side * 0.7 * r
        d.ellipse([wx - 0.3 * r, cy + 0.2 * r, wx + 0.3 * r, cy + 0.8 * r], fill=(25, 25, 25))


def plant(d, rng, cx, cy, r):
    d.polygon([(cx - 0.5 * r, cy + 0.3 * r), (cx + 0.5 * r, cy + 0.3 * r), (cx + 0.35 * r, cy + r),
               (cx - 0.35 * r, cy + r)], fill=(170, 90, 50))
    green = (int(rng.integers(20, 90)), int(rng.integers(120, 200)), int(rng.integers(20, 90)))
    for _k in range(int(rng.integers(4, 8))):
        ang = -math.pi / 2 + rng.uniform(-1.1, 1.1)
        lx, ly = cx + math.cos(ang) * 0.9 * r, cy + 0.3 * r + math.sin(ang) * 1.1 * r
        d.line([(cx, cy + 0.3 * r), (lx, ly)], fill=green, width=max(2, int(0.1 * r)))
        d.ellipse([lx - 0.2 * r, ly - 0.12 * r, lx + 0.2 * r, ly + 0.12 * r], fill=green)


def landscape(img: Image.Image, rng) -> None:
    s = img.width
    d = ImageDraw.Draw(img)
    sky = rand_colour(rng, 100, 255)
    d.rectangle([0, 0, s, s], fill=sky)
    hill = (int(rng.integers(30, 120)), int(rng.integers(100, 200)), int(rng.integers(30, 100)))
    for _k in range(3):
        y0 = s * rng.uniform(0.45, 0.8)
        d.ellipse([s * rng.uniform(-0.6, 0.4), y0, s * rng.uniform(0.6, 1.6), y0 + s], fill=hill)
    if rng.random() < 0.7:
        x, y = s * rng.uniform(0.1, 0.9), s * rng.uniform(0.1, 0.35)
        d.ellipse([x - 18, y - 18, x + 18, y + 18], fill=(255, 230, 90))


NON_CATS = [dog, bear, house, ball, car, plant, "landscape"]


def draw(rng, is_cat: bool) -> Image.Image:
    img = background(rng)
    s = img.width
    kind = cat if is_cat else NON_CATS[rng.integers(len(NON_CATS))]
    if kind == "landscape":
        landscape(img, rng)
    else:
        layer = Image.new("RGBA", (s, s), (0, 0, 0, 0))
        r = s * rng.uniform(0.22, 0.34)
        cx, cy = s / 2 + rng.uniform(-0.15, 0.15) * s, s / 2 + rng.uniform(-0.1, 0.15) * s
        kind(ImageDraw.Draw(layer), rng, cx, cy, r)
        layer = layer.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BICUBIC, center=(cx, cy))
        img.paste(layer, (0, 0), layer)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5))).resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    arr = np.asarray(img, dtype=float) + rng.normal(0, rng.uniform(3, 12), (SIZE, SIZE, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def main(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    for split, (n_cat, n_non) in SPLITS.items():
        rng = np.random.default_rng(SEEDS[split])
        for cls, count in (("cat", n_cat), ("non-cat", n_non)):
            folder = out / split / cls
            folder.mkdir(parents=True)
            for i in range(count):
                draw(rng, cls == "cat").save(folder / f"{cls}-{i:03d}.png", optimize=True)
    print(f"wrote {sum(a + b for a, b in SPLITS.values())} images to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "assets" / "demo")
