"""One image file in, the n_px x n_px RGB array the model sees out.

Training images and dropped photos go through ``load_image`` alike, so the model
always sees a photo the way it saw its training set. Every failure is an
``ImageError`` carrying one plain reason.
"""

from __future__ import annotations

import io
import os
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from visualizer.fs.files import read_regular

#: Larger images are refused; Pillow's decompression-bomb guard, turned into a reason.
MAX_MEGAPIXELS = 50
#: Larger files are not read at all (a 50-megapixel TIFF is about 200 MB).
MAX_FILE_BYTES = 256 * 2**20
DEFAULT_N_PX = 64
ORIENTATION = 0x0112  # the EXIF tag
N_PX_RANGE = (16, 256)
#: Raise it whenever ``preprocess`` could give other pixels: cached images are then decoded again.
PREPROCESS_VERSION = 1


class ImageError(Exception):
    """An image that cannot be used; ``str(exc)`` is the plain reason."""


def load_image(source: str | os.PathLike | bytes, n_px: int = DEFAULT_N_PX) -> np.ndarray:
    """Decode, orient, flatten onto white, centre-crop and resize to (n_px, n_px, 3) uint8."""
    with open_image(source) as img:
        return preprocess(img, n_px)


def open_image(source: str | os.PathLike | bytes) -> Image.Image:
    """Open an image lazily, refusing empty, unreadable and oversized files with a reason."""
    data = source if isinstance(source, bytes) else read_image_file(source)
    if not data:
        raise ImageError("empty (0 bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageError(f"too large (more than {MAX_MEGAPIXELS} megapixels)") from None
    except UnidentifiedImageError:
        raise ImageError("not an image (no format Pillow reads)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"unreadable or truncated ({_first_line(exc)})") from None
    w, h = img.size
    if w * h > MAX_MEGAPIXELS * 1_000_000:
        img.close()
        raise ImageError(f"too large ({w}x{h}, {w * h / 1e6:.0f} megapixels; the limit is {MAX_MEGAPIXELS})")
    if w == 0 or h == 0:
        img.close()
        raise ImageError("empty (0 pixels)")
    return img


def read_image_file(path: str | os.PathLike) -> bytes:
    """The bytes of an image file: only a regular file of at most MAX_FILE_BYTES is read."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except ValueError as exc:
        raise ImageError(str(exc)) from None
    except PermissionError:
        raise ImageError("permission denied") from None
    except OSError as exc:
        raise ImageError(f"unreadable ({exc.strerror or _first_line(exc)})") from None


def preprocess(img: Image.Image, n_px: int) -> np.ndarray:
    """The one transformation every image goes through before the model sees it."""
    _check_n_px(n_px)
    return square(decode_rgb(img, n_px), n_px)


def load_image_with_preview(source: str | os.PathLike | bytes, n_px: int = DEFAULT_N_PX,
                            preview: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """(what the model sees, a preview at most ``preview`` px on its long side), from one decode.

    The decode is the training images' own (same JPEG scale), so the pixels are identical.
    """
    _check_n_px(n_px)
    with open_image(source) as img:
        rgb = decode_rgb(img, n_px)
    thumb = rgb.copy()
    thumb.thumbnail((preview, preview), Image.Resampling.LANCZOS)
    return square(rgb, n_px), np.asarray(thumb, dtype=np.uint8).copy()


def _check_n_px(n_px: int) -> None:
    if not N_PX_RANGE[0] <= n_px <= N_PX_RANGE[1]:
        raise ValueError(f"n_px must be between {N_PX_RANGE[0]} and {N_PX_RANGE[1]}, not {n_px}")


def decode_rgb(img: Image.Image, min_side: int) -> Image.Image:
    """Decoded, upright, 8-bit RGB; JPEGs at a reduced scale whose short side stays >= min_side."""
    try:
        if getattr(img, "is_animated", False):
            img.seek(0)
        if img.format == "JPEG" and img.mode in ("RGB", "L", "CMYK", "YCbCr"):
            w, h = img.size  # JPEG's DCT scaling: decode at 1/2, 1/4 or 1/8 when that is still big enough
            img.draft("L" if img.mode == "L" else "RGB", (max(min_side, min_side * w // h),
                                                           max(min_side, min_side * h // w)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img.load()
            if img.getexif().get(ORIENTATION, 1) != 1:
                img = ImageOps.exif_transpose(img)
            return to_rgb(img)
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise ImageError(f"unreadable or truncated ({_first_line(exc)})") from None


def square(rgb: Image.Image, n_px: int) -> np.ndarray:
    """Centre-crop to a square, then a Lanczos resize to n_px x n_px."""
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    out = rgb.crop((left, top, left + side, top + side))
    if side != n_px:
        out = out.resize((n_px, n_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(out, dtype=np.uint8).copy()


def to_rgb(img: Image.Image) -> Image.Image:
    """8-bit RGB from any mode: alpha composited onto white, 16-bit and float scaled down."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        if not np.isfinite(arr).all():  # float TIFFs can hold them; a cast would warn and make up pixels
            raise ImageError("holds NaN or infinite pixel values")
        top = 65535.0 if img.mode.startswith("I;16") or arr.max(initial=0) > 255 else 255.0
        if img.mode == "F" and arr.max(initial=0) <= 1.0:
            top = 1.0
        gray = np.clip(np.rint(arr * (255.0 / top)), 0, 255).astype(np.uint8)
        return Image.fromarray(gray).convert("RGB")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if img.mode == "RGB":
        return img
    return img.convert("RGB")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:100] if text else type(exc).__name__
