"""What the command line prints: one result or message per line, whatever the names hold.

File names may hold newlines, tabs, bytes that are not UTF-8 or characters the terminal's
encoding lacks; printed raw they split a result over two lines or raise
UnicodeEncodeError. They are shown the way git shows them (core.quotePath): quoted,
with backslash escapes and octal bytes, only when needed.
"""

from __future__ import annotations

import math
import os
import sys
import time

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
#: A progress line at most this often (and a first one only after this long).
PROGRESS_SECONDS = 2.0


def encoding_of(stream) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def _escape(ch: str, encoding: str, quoting: bool) -> str | None:
    """The escape for ``ch``, or None when it can be printed as it is."""
    if ch in _NAMED:
        return _NAMED[ch]
    if quoting and ch in '"\\':
        return "\\" + ch
    if ch.isprintable():
        try:
            ch.encode(encoding)
            return None
        except (UnicodeEncodeError, LookupError):
            pass
    try:
        raw = os.fsencode(ch)  # an undecodable byte of a file name comes back as itself
    except UnicodeEncodeError:
        raw = ch.encode("utf-8", "surrogatepass")
    return "".join(f"\\{b:03o}" for b in raw)


def quote_path(path: str | os.PathLike, stream=None) -> str:
    """``path`` as is when that is safe on ``stream`` (stdout by default), else "quoted\\twith escapes"."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else os.fsdecode(text)
    encoding = encoding_of(sys.stdout if stream is None else stream)
    escapes = [_escape(ch, encoding, quoting=True) for ch in text]
    if all(e is None for e in escapes):
        return text
    return '"' + "".join(ch if e is None else e for ch, e in zip(text, escapes, strict=True)) + '"'


def one_line(text: str, stream=None) -> str:
    """``text`` safe as one line on ``stream`` (stderr by default): control and unencodable characters escaped."""
    encoding = encoding_of(sys.stderr if stream is None else stream)
    return "".join(ch if (e := _escape(ch, encoding, quoting=False)) is None else e for ch in text)


def json_safe(value):
    """The same structure with every non-finite float replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


class Progress:
    """How far a long run has got, on stderr, every PROGRESS_SECONDS.

    On a terminal one line is redrawn with a carriage return and cleared at the end; into a
    file or pipe, plain lines. Runs shorter than PROGRESS_SECONDS print nothing.
    """

    def __init__(self, total: int, label: str = "", stream=None, clock=time.monotonic, every=PROGRESS_SECONDS):
        self.total, self.label, self.clock, self.every = total, label, clock, every
        self.stream = sys.stderr if stream is None else stream
        self.tty = self.stream.isatty()
        self.next = clock() + every
        self.width = 0

    def update(self, done: int) -> None:
        now = self.clock()
        if now < self.next:
            return
        self.next = now + self.every
        share = 100 * done / self.total if self.total else 100
        text = f"visualizer: {self.label}iteration {done:,} of {self.total:,} ({share:.0f} %)"
        if self.tty:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Clear the terminal line, so what follows starts at the left."""
        if self.tty and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def tell_outcome(verdict, train_accuracy: float, test_accuracy: float | None, has_test: bool) -> None:
    """What J did and the accuracies, as every run of `visualizer train` ends (logistic regression or a network)."""
    print(f"what J did: {verdict.sentence()}")
    print(f"train accuracy: {train_accuracy} %")
    if has_test:
        print(f"test accuracy: {test_accuracy} %")


def verdict_json(verdict) -> dict:
    """A run's verdict (core/analysis/verdicts.py) in the JSON of `visualizer train`."""
    return {"kind": verdict.kind, "sentence": verdict.sentence(), "start_cost": verdict.start,
            "highest_cost": verdict.peak, "highest_at": verdict.peak_at, "rises": verdict.rises,
            "not_finite_at": verdict.not_finite_at}
