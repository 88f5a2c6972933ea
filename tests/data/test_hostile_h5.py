"""Course .h5 files that lie, point elsewhere or hold odd types: each is one DataError with a reason."""

import os
import warnings

import h5py
import numpy as np
import pytest

from tests.data.hostile import declared, no_big_reads, no_hang, write_h5
from visualizer.data import DataError, load_data, read_course_h5


def refused(path, match, **kw):
    """The DataError of loading ``path``: one line, naming the file, matching ``match``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match=match) as info:
            load_data(path, test_fraction=0, **kw)
    text = str(info.value)
    assert "\n" not in text and str(path) in text, text
    return text


def test_fifo_named_h5_is_refused_without_opening(tmp_path):
    os.mkfifo(tmp_path / "train_cats.h5")
    with no_hang():
        refused(tmp_path / "train_cats.h5", "named pipe")
        with pytest.raises(DataError, match="named pipe"):
            read_course_h5(tmp_path / "train_cats.h5")


def test_fifo_as_the_test_file_beside_is_refused_without_opening(tmp_path):
    write_h5(tmp_path / "train_cats.h5")
    os.mkfifo(tmp_path / "test_cats.h5")
    with no_hang(), pytest.raises(DataError, match=r"test_cats.h5: is a named pipe"):
        load_data(tmp_path / "train_cats.h5")


def test_device_named_h5_is_refused(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.h5")
    with no_hang():
        refused(tmp_path / "zero.h5", "is a device")


def _refs(f, name):
    f[name] = [f["train_set_x"].ref] * 4


def _compound(f, name):
    f[name] = np.zeros(4, dtype=[("label", "i8"), ("weight", "f8")])


@pytest.mark.parametrize(("kw", "match"), [
    (dict(y=_refs), "labels in train_set_y must be numbers 0 or 1, found object references"),
    (dict(y=np.array([b"cat", b"dog", b"cat", b"dog"])), "found text"),
    (dict(y=np.array([0, 0.5, 1, 1])), "labels in train_set_y must be 0 or 1, found 0.5"),
    (dict(y=np.array([0, np.nan, 1, 1])), "must be 0 or 1, found nan"),
    (dict(y=np.array([0, 2, 1, -1])), "found -1, 2"),
    (dict(y=_compound), r"found a compound type \(label, weight\)"),
    (dict(y=np.int64(1)), "a single value, not one label per image"),
    (dict(y=np.zeros((2, 2))), r"has shape \(2, 2\); expected one row of 4 labels"),
    (dict(x=np.uint8(3)), "has shape"),
    (dict(x=np.zeros((4, 16, 16, 3), complex)), "8-bit pixel values 0..255, found complex numbers"),
    (dict(x=np.zeros((4, 16, 16, 3), bool)), "found true/false values"),
    (dict(x=np.zeros((4, 16, 16, 3), "S1")), "found text"),
    (dict(m=0), "holds no images"),
    (dict(m=0, y=np.zeros(0)), "holds no images"),
    (dict(m=0, y=np.zeros(0, np.uint8)), "holds no images"),
    (dict(x=np.full((4, 16, 16, 3), -1.0)), r"0..255, found -1 to -1"),
    (dict(x=np.full((4, 16, 16, 3), 0.5)), "not whole numbers"),
    (dict(x=np.full((4, 16, 16, 3), np.inf)), "NaN or infinite"),
])
def test_odd_types_and_shapes_are_a_reason(tmp_path, kw, match):
    refused(write_h5(tmp_path / "odd.h5", **kw), match)


def test_nan_pixels_are_refused_without_warnings(tmp_path):
    x = np.full((4, 16, 16, 3), 200.0)
    x[2, 3, 4, 1] = np.nan
    refused(write_h5(tmp_path / "nan.h5", x=x), "NaN")


def test_whole_float_pixels_still_load(tmp_path):
    x = np.arange(4 * 16 * 16 * 3).reshape(4, 16, 16, 3) % 256
    data = read_course_h5(write_h5(tmp_path / "f.h5", x=x.astype(np.float32), y=np.array([0.0, 1, 1, 0])))
    assert np.array_equal(data.images, x) and data.Y.tolist() == [[0, 1, 1, 0]]


@pytest.mark.parametrize(("classes", "match"), [
    (np.array([1, 2]), "list_classes must hold two class names, found int64"),
    (np.array([b"a", b"b", b"c"]), r"must name two classes, found shape \(3,\)"),
    (np.array([b"cat", b"CAT"]), "names the same class twice"),
    (np.array([b"cat", b"dog\nrm -rf"]), "unprintable class name"),
    (np.array([b"cat", b"x" * 5000]), "names of 5,000 bytes"),
    (np.array(["cat", "y" * 5000], dtype=h5py.string_dtype()), "a class of 5,000 characters"),
    (np.array([b"cat", b"  "]), "empty or unprintable"),
])
def test_bad_class_lists_are_a_reason(tmp_path, classes, match):
    refused(write_h5(tmp_path / "classes.h5", classes=classes), match)


def test_huge_class_names_are_refused_from_the_type(tmp_path):
    path = write_h5(tmp_path / "huge.h5", classes=declared((2,), dtype="S100000000"))
    with no_big_reads():
        refused(path, "names of 100,000,000 bytes")


def test_images_outside_the_model_sizes_need_n_px(tmp_path):
    tiny = write_h5(tmp_path / "tiny.h5", n_px=1)
    refused(tiny, r"its images are 1x1 px; the model needs 16 to 256 px \(--n-px resizes them\)")
    refused(write_h5(tmp_path / "big.h5", n_px=300), "its images are 300x300 px")
    train, _ = load_data(tiny, n_px=32, test_fraction=0)
    assert train.images.shape == (4, 32, 32, 3) and np.all(train.images == 7)


def test_data_stored_elsewhere_is_refused(tmp_path):
    raw = tmp_path / "secret.raw"
    raw.write_bytes(bytes(range(256)) * 12)

    def external(f, name):
        f.create_dataset(name, shape=(4, 16, 16, 3), dtype=np.uint8, external=[(str(raw), 0, h5py.h5f.UNLIMITED)])

    refused(write_h5(tmp_path / "ext.h5", x=external), "keeps its data in another file .*secret.raw")
    other = write_h5(tmp_path / "other.h5")

    def linked(f, name):
        f[name] = h5py.ExternalLink(str(other), "/train_set_x")

    refused(write_h5(tmp_path / "link.h5", x=linked), "is a link to another file .*other.h5")

    def virtual(f, name):
        layout = h5py.VirtualLayout(shape=(4, 16, 16, 3), dtype=np.uint8)
        layout[:] = h5py.VirtualSource(str(other), "train_set_x", shape=(4, 16, 16, 3))
        f.create_virtual_dataset(name, layout)

    refused(write_h5(tmp_path / "virtual.h5", x=virtual), "virtual dataset")

    def classes_elsewhere(f, name):
        f[name] = h5py.ExternalLink(str(other), "/list_classes")

    refused(write_h5(tmp_path / "classes.h5", classes=classes_elsewhere), "list_classes is a link to another file")


def test_soft_links_are_refused_and_dangling_ones_do_not_crash(tmp_path):
    def soft(target):
        def build(f, name):
            f["stored"] = np.zeros((4, 16, 16, 3), np.uint8)
            f[name] = h5py.SoftLink(target)
        return build

    refused(write_h5(tmp_path / "soft.h5", x=soft("/stored")), "train_set_x is a link to /stored")
    refused(write_h5(tmp_path / "dangling.h5", x=soft("/nowhere")), "train_set_x is a link to /nowhere")

    def group(f, name):
        f.create_group(name)

    refused(write_h5(tmp_path / "group.h5", x=group), "train_set_x is a group, not a dataset")


def test_dataset_names_in_messages_stay_on_one_line(tmp_path):
    path = write_h5(tmp_path / "names.h5", **{"evil\nname": np.zeros(1), "\r" + "z" * 500 + "_set_x": np.zeros(1)})
    with h5py.File(path, "a") as f:
        del f["train_set_x"]
    assert "evil\\nname" in refused(path, "expected one dataset of images")


def test_a_billion_labels_for_four_images_are_not_read(tmp_path):
    path = write_h5(tmp_path / "labels.h5", y=declared((10**9,), dtype=np.int64, written=1))
    with no_big_reads():
        refused(path, "4 images but 1,000,000,000 labels")


def test_wrongly_shaped_million_images_are_refused_before_reading(tmp_path):
    path = write_h5(tmp_path / "shape.h5", x=declared((10**6, 64, 64, 4), written=1),
                    y=declared((10**6,), dtype=np.int64, written=1))
    with no_big_reads():
        refused(path, r"has shape \(1000000, 64, 64, 4\)")


def test_unwritten_images_are_refused(tmp_path):
    refused(write_h5(tmp_path / "empty.h5", m=1000, x=declared((1000, 16, 16, 3))),
            "declares 1,000 images but holds no data")
    refused(write_h5(tmp_path / "part.h5", m=1000, x=declared((1000, 16, 16, 3), written=100)),
            "declares 1,000 images but only 1 of its 10 chunks were ever written")
    refused(write_h5(tmp_path / "y.h5", y=declared((4,), dtype=np.int64)), "declares 4 labels but holds no data")


def test_damaged_file_is_a_reason(tmp_path):
    path = write_h5(tmp_path / "cut.h5", x=declared((1000, 16, 16, 3), written=1000))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, "cut.h5: ")
