"""`visualizer animate` as a user runs it, and its Qt-free parts: frame choice, the GIF stream, the bar."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from visualizer.formats.animation_frames import (
    END,
    FRAME,
    SAMPLE,
    AnimationError,
    GifStream,
    TerminalBar,
    encode_gif,
    evenly_spaced,
    format_problem,
    frame_iterations,
    gif_duration,
    log_spaced,
    send_frame,
    shared_palette,
)

SMALL = ["--iterations", "60", "--size", "400x300"]


def run(*args, prelude: str = ""):
    code = f"import sys\n{prelude}\nfrom visualizer.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=180)


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        out = []
        for k in range(gif.n_frames):
            gif.seek(k)
            out.append(np.asarray(gif.convert("RGB")).astype(int))
        return out


# ---------------------------------------------------------------- which iterations
def test_even_spacing_covers_the_stretch_with_distinct_iterations():
    its = evenly_spaced(100, 2100, 21)
    assert its[0] == 100 and its[-1] == 2100 and len(set(its)) == 21
    assert set(np.diff(its)) == {100}
    assert evenly_spaced(0, 5, 50) == [0, 1, 2, 3, 4, 5]  # fewer iterations than frames: every one


def test_log_spacing_gives_more_frames_early():
    its = log_spaced(0, 2000, 20)
    assert len(its) == len(set(its)) == 20 and its[0] == 0 and its[-1] == 2000
    assert its == sorted(its)
    early = sum(1 for i in its if i < 200)  # the first tenth of the run
    assert early >= 8 > sum(1 for i in evenly_spaced(0, 2000, 20) if i < 200)
    assert all(b - a >= 1 for a, b in zip(its, its[1:], strict=False))


def test_every_nth_ends_on_the_last_iteration():
    assert frame_iterations(0, 25, every=10) == [0, 10, 20, 25]
    assert frame_iterations(5, 25, every=10) == [5, 15, 25]


@pytest.mark.parametrize("kwargs, message", [
    ({"start": 10, "stop": 5}, "must go forward"),
    ({"start": 0, "stop": 0}, "must go forward"),
    ({"start": 0, "stop": 10, "frames": 1}, "2 .."),
    ({"start": 0, "stop": 10, "every": 2, "frames": 5}, "not both"),
    ({"start": 0, "stop": 10, "every": 2, "log": True}, "not both"),
])
def test_impossible_stretches_are_refused(kwargs, message):
    with pytest.raises(AnimationError, match=message):
        frame_iterations(**kwargs)


def test_formats_and_speeds():
    assert format_problem("a.gif", 15) is None and format_problem("a.MP4", 60) is None
    assert "gif or .mp4" in format_problem("a.png", 15)
    assert "1 .. 50" in format_problem("a.gif", 60)


def test_gif_durations_add_up_to_the_frame_rate():
    for fps in (15, 24, 30, 7):
        total = sum(gif_duration(k, fps) for k in range(3 * fps))
        assert total == 3000  # three seconds, in the GIF's 10 ms steps
        assert all(gif_duration(k, fps) % 10 == 0 for k in range(fps))


# ---------------------------------------------------------------- the GIF stream
def _frames(n=6, size=(64, 48)):
    rng = np.random.default_rng(0)
    base = (rng.random((size[1], size[0], 3)) * 255).astype(np.uint8)
    frames = [base.copy()]
    for k in range(1, n):
        f = frames[-1].copy()
        if k != 3:  # frame 3 repeats frame 2: nothing moved
            f[5 + k: 15 + k, 10: 20 + 2 * k] = (40 * k, 255 - 30 * k, 90)
        frames.append(f)
    return frames


def test_gif_stream_decodes_to_the_frames_it_was_given():
    frames = [Image.fromarray(f) for f in _frames()]
    palette = shared_palette(frames)
    buffer = io.BytesIO()
    gif = GifStream(buffer, palette, 10)
    for f in frames:
        gif.add(f)
    gif.close()
    buffer.seek(0)
    decoded = gif_frames(buffer)
    assert len(decoded) == len(frames)
    for f, d in zip(frames, decoded, strict=True):
        expected = palette.colours[palette.indices(f)]
        assert np.array_equal(d, expected)  # each frame drawn over the last: the deltas add up exactly
    assert len(buffer.getvalue()) < 0.6 * len(frames) * frames[0].width * frames[0].height


def _stream(frames: list[np.ndarray], samples: list[np.ndarray]) -> list[np.ndarray]:
    """The frames through a GifStream on the palette of ``samples``, decoded."""
    buffer = io.BytesIO()
    gif = GifStream(buffer, shared_palette([Image.fromarray(f) for f in samples]), 10)
    for f in frames:
        gif.add(Image.fromarray(f))
    gif.close()
    buffer.seek(0)
    return gif_frames(buffer)


def test_small_saturated_patches_keep_their_colours_among_many_greys():
    """A 3 x 3 red, vermilion and blue patch on 300 x 200 of noisy greys (thousands of colours):
    weighed by pixels, the greys took every entry and all three patches came out grey."""
    rng = np.random.default_rng(1)
    grey = np.linspace(90, 210, 300)[None, :, None] + rng.integers(-6, 7, (200, 300, 3))
    frame = grey.astype(np.uint8)
    patches = {(20, 30): (0xD5, 0x5E, 0x00), (100, 200): (0xD6, 0x27, 0x28), (150, 60): (0x00, 0x72, 0xB2)}
    for (y, x), colour in patches.items():
        frame[y: y + 3, x: x + 3] = colour
    later = frame.copy()
    later[60:63, 250:253] = (0x20, 0x30, 0xF0)  # a blue no sample showed: its nearest entry
    first, last = _stream([frame, later], [frame])
    error = np.abs(first - frame).max(axis=2)
    for y, x in patches:
        assert error[y: y + 3, x: x + 3].max() <= 4
    assert error.max() <= 24
    colours = np.unique(first.reshape(-1, 3), axis=0)
    nearest = colours[((colours - (0x20, 0x30, 0xF0)) ** 2).sum(axis=1).argmin()]
    assert (last[60:63, 250:253] == nearest).all() and np.array_equal(last[:60], first[:60])


def test_frames_of_at_most_255_colours_are_kept_exactly():
    frames = [np.array(f // 64 * 64 + 10, np.uint8) for f in _frames(3)]  # 4 levels a channel: 64 colours
    assert all(np.array_equal(d, f) for d, f in zip(_stream(frames, frames), frames, strict=True))


def test_the_encoder_process_protocol_writes_a_gif_and_a_cancel_writes_nothing(tmp_path):
    frames = _frames(4)

    def stream(kinds):
        pipe = io.BytesIO()
        for kind, f in kinds:
            rgbx = np.dstack([f[..., ::-1], np.zeros(f.shape[:2], np.uint8)])  # Qt's B, G, R, X
            send_frame(pipe, kind, (rgbx.tobytes(), f.shape[1], f.shape[0], 4 * f.shape[1]))
        return pipe

    pipe = stream([(SAMPLE, frames[0]), *[(FRAME, f) for f in frames]])
    send_frame(pipe, END)
    pipe.seek(0)
    assert encode_gif(pipe, str(tmp_path / "a.gif"), 10) == 4
    assert len(gif_frames(tmp_path / "a.gif")) == 4
    pipe = stream([(FRAME, frames[0])])
    pipe.seek(0)  # the frames stop without an END: an error, and no file
    with pytest.raises(AnimationError, match="stopped"):
        encode_gif(pipe, str(tmp_path / "b.gif"), 10)
    assert list(tmp_path.iterdir()) == [tmp_path / "a.gif"]  # no temporary file left either


def test_terminal_bar_draws_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = TerminalBar(4, stream=stream, every=0)
        for k in range(1, 5):
            bar.update(k, 4)
        bar.close()
    assert "4/4" in tty.getvalue() and "####" in tty.getvalue() and tty.getvalue().endswith("\r")
    assert pipe.getvalue() == ""


# ---------------------------------------------------------------- the command
def test_animate_writes_the_frames_asked_for(tmp_path):
    out = tmp_path / "run.gif"
    result = run("animate", str(out), *SMALL, "--view", "contours", "--frames", "12", "--log-spacing")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    frames = gif_frames(out)
    assert len(frames) == 12 and frames[0].shape == (300, 400, 3)
    assert np.abs(frames[0] - frames[-1]).max() > 0


@pytest.mark.parametrize("args, message", [
    (["--fps", "0"], "outside 1 .. 60"),
    (["--fps", "55"], "1 .. 50 for .gif"),
    (["--frames", "1"], "less than 2"),
    (["--from", "50", "--to", "20"], "must go forward"),
    (["--to", "500"], "beyond the 60 trained"),
    (["--every", "5", "--frames", "9"], "not both"),
    (["--size", "10x10"], "outside 320x240"),
    (["--view", "lesson"], "invalid choice"),
    (["--iterations", "0"], "nothing to animate"),
    (["--view", "window"], "needs at least"),
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args, message):
    result = run("animate", str(tmp_path / "a.gif"), *SMALL, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "a.gif").exists()


def test_bad_outputs_give_one_line_and_exit_2(tmp_path):
    for out, message in ((tmp_path / "a.png", "as .gif or .mp4"), (tmp_path / "no" / "a.gif", "does not exist"),
                         (tmp_path, "as .gif or .mp4")):
        result = run("animate", str(out), *SMALL)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_mp4_without_the_video_extra_is_one_line(tmp_path):
    result = run("animate", str(tmp_path / "a.mp4"), *SMALL, prelude="sys.modules['imageio_ffmpeg'] = None")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "video extra" in result.stderr and not (tmp_path / "a.mp4").exists()


def test_mp4_with_the_video_extra(tmp_path):
    ffmpeg = pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "a.mp4"
    result = run("animate", str(out), *SMALL, "--frames", "8", "--size", "401x301", "--view", "contours")
    assert result.returncode == 0, result.stderr
    reader = ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert tuple(meta["size"]) == (400, 300) and sum(1 for _ in reader) == 8  # odd sides lose one row/column


def test_a_full_disk_is_one_line_and_leaves_no_file(tiny_disk):
    out = tiny_disk / "a.gif"
    result = run("animate", str(out), *SMALL, "--view", "contours", "--frames", "30")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "could not be written" in result.stderr and "Traceback" not in result.stderr
    assert list(tiny_disk.iterdir()) == []  # neither the GIF nor its temporary file
