"""The file name a save dialog offers: what is saved, of which data, at which iteration (demo-cost-curve-2000.png)."""

from __future__ import annotations

import re
from pathlib import Path

_VERB = re.compile(r"^(export|save)( as| the| an| a)?\s+", re.IGNORECASE)
_KIND = re.compile(r"\s+as\s+\S+$", re.IGNORECASE)


def data_name(source: str) -> str:
    """A data set's short name: the file's stem, or the folder above a train/ folder."""
    path = Path(source)
    name = path.parent.name if path.name.lower() in ("train", "") else path.stem
    return name or "data"


def suggested_name(title: str, suffix: str, source: str | None = None, iteration: int | None = None) -> str:
    """From the dialog's title ("Export the cost curve as PNG"): "<data>-cost-curve-<iteration><suffix>"."""
    what = _KIND.sub("", _VERB.sub("", title.strip())).lower()
    parts = [data_name(source) if source else None, what, None if iteration is None else str(iteration)]
    stem = "-".join(re.sub(r"[^\w.]+", "-", p).strip("-") for p in parts if p)
    return (stem or "visualizer") + suffix
