"""What an animation shows and how it is packed, without Qt: which iterations become frames,
the GIF's one shared palette, timing and frame-by-frame writing, and a terminal bar.

A run's cost falls fastest in its first iterations, so frames can be spaced on a log scale;
a GIF keeps one palette for every frame, so its frames differ only where the run moved and
each stores only the rectangle that changed.
"""

from __future__ import annotations

import math
import signal
import struct
import sys
import time
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image

from visualizer.fs.atomic import StorageError, atomic_write

FORMATS = (".gif", ".mp4")
#: Browsers play GIF frames shorter than 20 ms at 100 ms, so a GIF plays at most 50 frames a second.
MAX_GIF_FPS = 50
MAX_FPS = 60
MAX_FRAMES = 10_000
#: Colours of the shared palette (one more slot is left free for Pillow's optimizer).
PALETTE_COLOURS = 255
VIDEO_MISSING = "an .mp4 needs the optional video extra: pip install 'visualizer[video]' (imageio-ffmpeg)"


class AnimationError(ValueError):
    """A request that cannot be animated: one line for the user."""


def evenly_spaced(start: int, stop: int, frames: int) -> list[int]:
    """``frames`` iterations from start to stop, both included, evenly spaced (every one when there are fewer)."""
    frames = min(frames, stop - start + 1)
    if frames == 1:
        return [start]
    return [int(v) for v in np.round(np.linspace(start, stop, frames))]


def log_spaced(start: int, stop: int, frames: int) -> list[int]:
    """``frames`` distinct iterations from start to stop, closer together early, where the cost falls fastest.

    Spaced evenly in log(1 + iterations since start); where rounding would repeat an
    iteration the next one is taken, so there are exactly ``frames`` of them.
    """
    n = stop - start
    frames = min(frames, n + 1)
    if frames == 1:
        return [start]
    ideal = np.geomspace(1, n + 1, frames) - 1
    out: list[int] = []
    for k, value in enumerate(ideal):
        low = out[-1] + 1 if out else 0
        high = n - (frames - 1 - k)  # room for the frames still to come
        out.append(int(min(max(round(value), low), high)))
    return [start + v for v in out]


def every_nth(start: int, stop: int, every: int) -> list[int]:
    """start, start + every, ... and stop itself, so the last frame is the end of the stretch."""
    its = list(range(start, stop + 1, every))
    return its if its[-1] == stop else [*its, stop]


def frame_count(start: int, stop: int, frames: int | None = None, every: int | None = None,
                log: bool = False) -> int:
    """How many frames ``frame_iterations`` gives, found without making the list: the one place where a
    request, however it is put (a number of frames or one every N iterations), is held to MAX_FRAMES."""
    if not 0 <= start < stop:
        raise AnimationError(f"nothing to animate from iteration {start} to {stop}: the stretch must go forward")
    if every is not None:
        if frames is not None or log:
            raise AnimationError("choose either iterations per frame or a number of frames, not both")
        if every < 1:
            raise AnimationError(f"iterations per frame must be at least 1, not {every}")
        count = (stop - start) // every + 1 + ((stop - start) % every != 0)  # and stop itself
        if count > MAX_FRAMES:
            raise AnimationError(f"one frame every {every:,} iterations from {start:,} to {stop:,} is {count:,} "
                                 f"frames; an animation has at most {MAX_FRAMES:,} frames")
        return count
    frames = 100 if frames is None else frames
    if not 2 <= frames <= MAX_FRAMES:
        raise AnimationError(f"the number of frames must be 2 .. {MAX_FRAMES:,}, not {frames}; an animation "
                             f"has at most {MAX_FRAMES:,} frames")
    return min(frames, stop - start + 1)


def frame_iterations(start: int, stop: int, frames: int | None = None, every: int | None = None,
                     log: bool = False) -> list[int]:
    """The iterations to draw, from ``start`` to ``stop``: ``frames`` of them (evenly or log-spaced)
    or one every ``every`` iterations; checked by ``frame_count`` before the list is made."""
    frame_count(start, stop, frames, every, log)
    if every is not None:
        return every_nth(start, stop, every)
    return (log_spaced if log else evenly_spaced)(start, stop, 100 if frames is None else frames)


def format_problem(out: str, fps: float) -> str | None:
    """Why ``out`` cannot be written at ``fps`` (an unknown suffix, a GIF too fast to play), or None."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        return f"{out}: an animation is written as .gif or .mp4, not {suffix or 'a name without a suffix'}"
    if not 1 <= fps <= (MAX_GIF_FPS if suffix == ".gif" else MAX_FPS):
        top = MAX_GIF_FPS if suffix == ".gif" else MAX_FPS
        why = " (browsers slow faster GIFs down)" if suffix == ".gif" else ""
        return f"frames per second must be 1 .. {top} for {suffix}{why}, not {fps:g}"
    return None


def video_problem() -> str | None:
    """Why an MP4 cannot be written here (the optional video extra is missing), or None."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return VIDEO_MISSING
    return None


def colour_keys(frame: Image.Image) -> np.ndarray:
    """Each pixel's colour as one 24-bit number, 0xRRGGBB: B, G, R, pad bytes read as little-endian
    32-bit words (one copy, faster than shifting and joining three channels)."""
    rgb = frame if frame.mode == "RGB" else frame.convert("RGB")
    return np.frombuffer(rgb.tobytes("raw", "BGRX"), "<u4").reshape(rgb.height, rgb.width) & 0xFFFFFF


def key_colours(keys: np.ndarray) -> np.ndarray:
    """24-bit colours back as rows of R, G, B (int32, so that differences and squares do not wrap)."""
    keys = keys.astype(np.int32)
    return np.stack([keys >> 16, keys >> 8 & 255, keys & 255], axis=1)


class Palette:
    """The GIF's colours, and a table from every 24-bit colour met so far to its nearest one.

    The look-up is exact and depends on the colour alone, so a colour gets the same index in
    every frame (frame deltas rely on it). Pillow's ``quantize(palette=...)`` looks a colour up
    by the corner of its 4 x 4 x 4 cell instead: white came out as the grey 250 beside it.
    """

    UNSEEN = PALETTE_COLOURS  # never an index of a colour: the table's "not looked up yet"

    def __init__(self, colours: np.ndarray, keys: np.ndarray | None = None, nearest: np.ndarray | None = None):
        self.colours = np.asarray(colours, np.uint8).reshape(-1, 3)
        self.table = np.full(1 << 24, self.UNSEEN, np.uint8)
        if keys is not None:
            self.table[keys] = nearest

    def flat(self) -> list[int]:
        """R, G, B of all PALETTE_COLOURS entries, padded with black, so the free slot is always the last."""
        padded = np.zeros((PALETTE_COLOURS, 3), np.uint8)
        padded[: len(self.colours)] = self.colours
        return padded.ravel().tolist()

    def indices(self, frame: Image.Image) -> np.ndarray:
        """The frame as palette indices, each pixel the nearest colour (no dithering)."""
        keys = colour_keys(frame)
        out = self.table[keys]
        unseen = out == self.UNSEEN
        if unseen.any():  # colours the samples did not show: looked up once, then kept
            new = np.unique(keys[unseen])
            self.table[new] = self.nearest(key_colours(new))
            out[unseen] = self.table[keys[unseen]]
        return out

    def nearest(self, rgb: np.ndarray, chunk: int = 1024) -> np.ndarray:
        """The index of the nearest colour (squared distance) to each row of ``rgb``.

        Channel by channel in float32 (exact for these whole numbers): summing over a last axis
        of three, or a product of matrices (OpenBLAS threads spin), took several times longer.
        """
        rgb, colours = rgb.astype(np.float32), self.colours.T.astype(np.float32)
        parts = []
        for i in range(0, len(rgb), chunk):
            d = sum((x[:, None] - c) ** 2 for x, c in zip(rgb[i: i + chunk].T, colours, strict=True))
            parts.append(d.argmin(axis=1))
        return np.concatenate(parts).astype(np.uint8)


def shared_palette(samples: list[Image.Image]) -> Palette:
    """One palette for every frame, from a few frames across the run (the first, the last and three between).

    Colours are weighed by log(1 + pixels), not by pixels: median cut over pixels gave a small
    red path no entry of its own, so it came out orange. With at most PALETTE_COLOURS distinct
    colours, the palette is those colours. Otherwise colours that fill 1 % of the pixels each
    come first, then, one at a time, the colour worst served so far (squared distance to its
    nearest entry times its weight): the largest error anywhere stays small.
    """
    keys, counts = np.unique(np.concatenate([colour_keys(s).ravel() for s in samples]), return_counts=True)
    rgb = key_colours(keys)
    if len(keys) <= PALETTE_COLOURS:
        return Palette(rgb, keys, np.arange(len(keys)))
    channels = rgb.T.astype(np.float32)  # one row a channel: the loop below runs on contiguous rows
    weight = np.log1p(counts).astype(np.float32)
    large = np.flatnonzero(counts >= 0.01 * counts.sum())
    picks = list(large[np.argsort(-counts[large])]) or [int(np.argmax(counts))]
    distance = np.full(len(keys), np.inf, np.float32)
    nearest = np.zeros(len(keys), np.uint8)
    for slot in range(PALETTE_COLOURS):
        if slot == len(picks):
            picks.append(int(np.argmax(distance * weight)))
        d = sum((c - c[picks[slot]]) ** 2 for c in channels)
        np.putmask(nearest, d < distance, slot)
        np.minimum(distance, d, out=distance)
    return Palette(rgb[picks], keys, nearest)


def gif_duration(k: int, fps: float) -> int:
    """Frame k's display time in ms, in the GIF's 10 ms steps, so that n frames last n / fps overall."""
    return max(10 * (round((k + 1) * 100 / fps) - round(k * 100 / fps)), 10)


class GifStream:
    """A GIF written frame by frame as the frames come, keeping only the previous one in memory.

    Every frame uses the one shared palette; after the first, a frame holds only the rectangle
    that changed, with the pixels that did not change inside it transparent (they compress
    to almost nothing) and disposal 1, so each frame is drawn over the one before.
    """

    TRANSPARENT = PALETTE_COLOURS  # the palette's one free slot

    def __init__(self, file, palette: Palette, fps: float):
        self.file, self.palette, self.fps = file, palette, fps
        self.colours = palette.flat()
        self.previous: np.ndarray | None = None
        self.count = 0

    def add(self, frame: Image.Image) -> None:
        if self.previous is not None and frame.size != self.previous.shape[::-1]:
            frame = frame.crop((0, 0, self.previous.shape[1], self.previous.shape[0]))
        indices = self.palette.indices(frame)
        timing = {"duration": gif_duration(self.count, self.fps), "disposal": 1}
        if self.previous is None:
            image = Image.fromarray(indices, "P")
            image.putpalette(self.colours)
            header, _ = GifImagePlugin.getheader(image, None, {"loop": 0})
            self._write(header)
            self._write(GifImagePlugin.getdata(image, (0, 0), **timing))
        else:
            changed = indices != self.previous
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if rows.size:
                box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
                patch = np.where(changed[box], indices[box], self.TRANSPARENT).astype(np.uint8)
                offset = (int(cols[0]), int(rows[0]))
            else:  # nothing moved: one transparent pixel keeps the frame's time
                patch, offset = np.full((1, 1), self.TRANSPARENT, np.uint8), (0, 0)
            part = Image.fromarray(patch, "P")
            part.putpalette(self.colours)
            self._write(GifImagePlugin.getdata(part, offset, transparency=self.TRANSPARENT, **timing))
        self.previous = indices
        self.count += 1

    def close(self) -> None:
        self.file.write(b";")  # the GIF trailer

    def _write(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            self.file.write(chunk)


#: The encoder process reads a header (kind, width, height, bytes per line) and then the pixels.
HEADER = struct.Struct("<4I")
END, SAMPLE, FRAME, CANCEL = range(4)
EXIT_CANCELLED = 3


class Cancelled(Exception):
    """The user cancelled: nothing is written."""


def send_frame(pipe, kind: int, frame: tuple[bytes, int, int, int] = (b"", 0, 0, 0)) -> None:
    data, w, h, stride = frame
    pipe.write(HEADER.pack(kind, w, h, stride))
    pipe.write(data)


def frame_image(data: bytes, w: int, h: int, stride: int) -> Image.Image:
    """Qt's 32-bit pixels (B, G, R, X in memory) as an RGB image."""
    return Image.frombuffer("RGB", (w, h), data, "raw", "BGRX", stride, 1)


def _read(source, n: int) -> bytes:
    data = source.read(n)
    if len(data) != n:
        raise AnimationError("the frames stopped before the end")
    return data


def encode_gif(source, out: str, fps: float) -> int:
    """The GIF encoder process: sample frames (for the palette), then frames until END; how many were written.

    It runs in a process of its own because Pillow's LZW encoder holds Python's lock:
    in a thread it would stall the drawing of the next frame.
    """
    samples: list[Image.Image] = []

    def write(file) -> int:
        gif = None
        while True:
            kind, w, h, stride = HEADER.unpack(_read(source, HEADER.size))
            if kind in (END, CANCEL):
                break
            image = frame_image(_read(source, stride * h), w, h, stride)
            if kind == SAMPLE:
                samples.append(image)
                continue
            gif = gif or GifStream(file, shared_palette(samples or [image]), fps)
            gif.add(image)
        if kind == CANCEL:
            raise Cancelled
        if gif is None:
            raise AnimationError("no frames were drawn")
        gif.close()
        return gif.count

    counted = []
    atomic_write(out, lambda file: counted.append(write(file)))
    return counted[0]


def main(argv: list[str]) -> int:
    """``python -m visualizer.formats.animation_frames OUT.gif FPS``, frames on stdin: the window's GIF encoder.

    Ctrl+C in a terminal reaches this process too; the program that started it decides what it means
    and sends CANCEL (or closes the pipe), so here it is ignored.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        print(encode_gif(sys.stdin.buffer, argv[0], float(argv[1])))
    except Cancelled:
        return EXIT_CANCELLED
    except (AnimationError, StorageError) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


class TerminalBar:
    """A progress bar on stderr, redrawn in place, only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, total: int, label: str = "frames", stream=None, every: float = 0.1):
        self.total, self.label, self.every = total, label, every
        self.stream = sys.stderr if stream is None else stream
        self.on = self.stream.isatty()
        self.shown_at = -math.inf
        self.drawn = 0

    def update(self, done: int, total: int | None = None) -> None:
        self.total = self.total if total is None else total
        now = time.monotonic()
        if not self.on or (now - self.shown_at < self.every and done < self.total):
            return
        self.shown_at = now
        filled = self.WIDTH * done // max(self.total, 1)
        text = f"visualizer: {self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.total}"
        self.stream.write("\r" + text.ljust(self.drawn))
        self.stream.flush()
        self.drawn = len(text)

    def close(self) -> None:
        if self.on and self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
