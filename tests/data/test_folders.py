"""Folders as users have them: two layouts, broken files among good ones, links and locks."""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from visualizer.data import DataError, LoadCancelled, decoding, load_data, load_folder


def photo(path, seed, size=(90, 70)):
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(path)
    return path


def image_folder(root, n_cat=6, n_dog=9, cat="cat", dog="dog"):
    for i in range(n_cat):
        photo(root / cat / f"c{i}.png", i)
    for i in range(n_dog):
        photo(root / dog / ("deep" if i % 2 else "") / f"d{i}.jpg", 100 + i)
    return root


def test_class_subfolders_searched_recursively(tmp_path):
    data = load_folder(image_folder(tmp_path / "set"))
    assert data.classes == ("dog", "cat") and data.class_counts() == (9, 6)
    assert data.X.shape == (12288, 15) and data.X.dtype == np.float64 and data.X.min() >= 0 and data.X.max() <= 1
    i = data.names.index(str(tmp_path / "set" / "cat" / "c0.png"))
    assert data.Y[0, i] == 1
    assert np.allclose(data.X[:, i], data.images[i].reshape(-1) / 255)


def test_flat_folder_with_name_prefixes(tmp_path):
    for i in range(4):
        photo(tmp_path / "flat" / f"cat.{i}.jpg", i)
        photo(tmp_path / "flat" / f"dog.{i}.jpg", 50 + i)
    photo(tmp_path / "flat" / "12345.jpg", 99)
    data = load_folder(tmp_path / "flat")
    assert data.classes == ("dog", "cat") and data.class_counts() == (4, 4)
    assert [s.reason for s in data.skipped] == ["its name does not start with a class, as in cat.1.jpg"]


def test_positive_class_must_be_named_when_it_cannot_be_guessed(tmp_path):
    root = image_folder(tmp_path / "set", cat="apple", dog="pear")
    with pytest.raises(DataError, match="which class is positive.*apple, pear.*--positive"):
        load_folder(root)
    data = load_folder(root, positive="pear")
    assert data.classes == ("apple", "pear")
    with pytest.raises(DataError, match="--positive plum is not one of the classes"):
        load_folder(root, positive="plum")


def test_wrong_number_of_classes_is_named(tmp_path):
    image_folder(tmp_path / "three")
    photo(tmp_path / "three" / "bird" / "b.png", 1)
    with pytest.raises(DataError, match=r"exactly two classes, found 3 \(bird, cat, dog\)"):
        load_folder(tmp_path / "three")
    photo(tmp_path / "one" / "cat" / "c.png", 1)
    with pytest.raises(DataError, match="found 1"):
        load_folder(tmp_path / "one")


def test_a_class_without_usable_images_is_an_error(tmp_path):
    image_folder(tmp_path / "set", n_dog=0)
    (tmp_path / "set" / "dog").mkdir()
    (tmp_path / "set" / "dog" / "bad.jpg").write_text("nope")
    with pytest.raises(DataError, match="no usable image of class 'dog'.*bad.jpg: not an image"):
        load_folder(tmp_path / "set")


def test_bad_files_are_reported_and_the_rest_load(tmp_path):
    root = image_folder(tmp_path / "set")
    (root / "cat" / "empty.jpg").write_bytes(b"")
    (root / "cat" / "notes.jpg").write_text("text renamed .jpg")
    good = (root / "cat" / "c1.png").read_bytes()
    (root / "cat" / "truncated.png").write_bytes(good[: len(good) // 3])
    (root / "cat" / "copy.png").write_bytes(good)
    Image.new("1", (8000, 7000)).save(root / "dog" / "huge.png")
    (root / "cat" / ".hidden.jpg").write_text("ignored")
    data = load_folder(root)
    reasons = {os.path.basename(s.path): s.reason for s in data.skipped}
    assert reasons["empty.jpg"].startswith("empty")
    assert reasons["notes.jpg"].startswith("not an image")
    assert "truncated" in reasons["truncated.png"]
    assert reasons["copy.png"] == f"duplicate of {root / 'cat' / 'c1.png'} (same bytes)"
    assert reasons["huge.png"].startswith("too large")
    assert ".hidden.jpg" not in reasons
    assert data.class_counts() == (9, 6)


def test_symlink_loops_do_not_hang(tmp_path):
    root = image_folder(tmp_path / "set")
    os.symlink(root / "cat", root / "cat" / "again")  # a folder that contains itself
    os.symlink(root / "cat" / "x1", root / "cat" / "x2")
    os.symlink(root / "cat" / "x2", root / "cat" / "x1")  # a file link loop
    data = load_folder(root)
    assert data.class_counts() == (9, 6)
    reasons = " | ".join(s.reason for s in data.skipped)
    assert "loop" in reasons


def test_unreadable_files_and_folders_are_reported(tmp_path, monkeypatch):
    root = image_folder(tmp_path / "set")
    locked_file, locked_dir = root / "cat" / "c2.png", root / "dog" / "deep"
    if os.geteuid() == 0:  # root reads everything, so lock them the way a user's system would
        real_read, real_scandir = decoding.read_regular, os.scandir
        monkeypatch.setattr(decoding, "read_regular",
                            lambda p, n: _deny(p) if Path(p) == locked_file else real_read(p, n))
        monkeypatch.setattr(os, "scandir", lambda p: _deny(p) if Path(p) == locked_dir else real_scandir(p))
    else:
        locked_file.chmod(0)
        locked_dir.chmod(0)
    try:
        data = load_folder(root)
    finally:
        locked_dir.chmod(0o755)
    reasons = {s.path: s.reason for s in data.skipped}
    assert reasons[str(locked_file)] == "permission denied (file)"
    assert reasons[str(locked_dir)] == "permission denied (folder)"
    assert data.class_counts() == (5, 5)


def _deny(path):
    raise PermissionError(13, "Permission denied", str(path))


def test_progress_and_cancel(tmp_path):
    root = image_folder(tmp_path / "set")
    seen = []
    load_folder(root, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (15, 15) and len(seen) == 15
    with pytest.raises(LoadCancelled):
        load_folder(root, cancelled=lambda: True)


def test_train_and_test_subfolders_give_both_sets(tmp_path):
    image_folder(tmp_path / "both" / "train")
    image_folder(tmp_path / "both" / "test", n_cat=2, n_dog=3)
    train, test = load_data(tmp_path / "both")
    assert (train.m, test.m) == (15, 5) and test.classes == train.classes


def test_split_is_stratified_and_reproducible(tmp_path):
    image_folder(tmp_path / "set", n_cat=10, n_dog=20)
    a_train, a_test = load_data(tmp_path / "set", test_fraction=0.2, seed=3)
    b_train, b_test = load_data(tmp_path / "set", test_fraction=0.2, seed=3)
    _, c_test = load_data(tmp_path / "set", test_fraction=0.2, seed=4)
    assert a_test.class_counts() == (4, 2) and a_train.class_counts() == (16, 8)
    assert a_test.names == b_test.names and a_test.names != c_test.names
    assert not set(a_test.names) & set(a_train.names)


def test_n_px_changes_the_feature_count(tmp_path):
    train, _ = load_data(image_folder(tmp_path / "set"), n_px=32, test_fraction=0)
    assert train.X.shape == (3 * 32 * 32, 15) and train.images.shape[1:] == (32, 32, 3)


def test_missing_source_is_named(tmp_path):
    with pytest.raises(DataError, match="no such file or folder"):
        load_data(tmp_path / "nowhere")


def test_demo_set_is_shipped_and_loads():
    train, test = load_data()
    assert (train.m, test.m) == (210, 50)
    assert train.class_counts() == (140, 70) and train.classes == ("non-cat", "cat")
