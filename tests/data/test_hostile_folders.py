"""Image folders and dropped files: FIFOs, devices, huge files and NaN pixels are refused with a reason."""

import io
import os
import warnings

import numpy as np
import pytest
from PIL import Image

from tests.data.hostile import no_hang
from tests.data.test_folders import image_folder, photo
from visualizer.data import ImageError, decoding, load_folder, load_image

FIFO = "is a named pipe (FIFO), not a regular file"
DEVICE = "is a device, not a regular file"


def reasons(data):
    return {os.path.basename(s.path): s.reason for s in data.skipped}


def test_fifos_and_devices_in_a_flat_folder_are_skipped_not_opened(tmp_path):
    for i in range(3):
        photo(tmp_path / "flat" / f"cat.{i}.jpg", i)
        photo(tmp_path / "flat" / f"dog.{i}.jpg", 10 + i)
    os.mkfifo(tmp_path / "flat" / "cat.pipe.jpg")
    os.symlink("/dev/zero", tmp_path / "flat" / "dog.zero.jpg")
    with no_hang():
        data = load_folder(tmp_path / "flat")
    assert data.class_counts() == (3, 3)
    assert reasons(data) == {"cat.pipe.jpg": FIFO, "dog.zero.jpg": DEVICE}


def test_fifos_and_devices_in_class_folders_are_skipped_with_their_kind(tmp_path):
    root = image_folder(tmp_path / "set")
    os.mkfifo(root / "cat" / "pipe.jpg")
    os.symlink("/dev/zero", root / "dog" / "zero.jpg")
    with no_hang():
        data = load_folder(root)
    assert data.class_counts() == (9, 6)
    assert reasons(data) == {"pipe.jpg": FIFO, "zero.jpg": DEVICE}


def test_files_over_the_size_limit_are_not_read(tmp_path, monkeypatch):
    root = image_folder(tmp_path / "set")
    monkeypatch.setattr(decoding, "MAX_FILE_BYTES", 2**20)
    with open(root / "cat" / "sparse.png", "wb") as f:
        f.truncate(2 * 2**20)  # 2 MB of nothing, no disk used
    data = load_folder(root)
    assert reasons(data) == {"sparse.png": "too large (more than 1 MB)"}


def test_a_dropped_fifo_or_device_is_an_image_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "photo.jpg")
    with no_hang():
        with pytest.raises(ImageError, match=r"^is a named pipe \(FIFO\), not a regular file$"):
            load_image(tmp_path / "photo.jpg")
        with pytest.raises(ImageError, match=r"^is a device"):
            load_image("/dev/zero")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_float_images_with_nan_are_refused_without_warnings(bad):
    pixels = np.full((40, 40), 0.5, np.float32)
    pixels[3, 3] = bad
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="F").save(buffer, format="TIFF")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageError, match="NaN or infinite pixel values"):
            load_image(buffer.getvalue())
