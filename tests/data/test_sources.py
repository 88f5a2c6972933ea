import numpy as np
import pytest
from PIL import Image

from tests.conftest import COURSE_DIR
from visualizer.core import GradientDescent
from visualizer.data import load_data


@pytest.mark.course
def test_course_h5_finds_its_test_file(course):
    train, test = load_data(COURSE_DIR / "train_catvnoncat.h5")
    assert (train.m, test.m) == (209, 50) and train.classes == ("non-cat", "cat")


@pytest.mark.course
def test_course_images_as_jpeg_folders_train_like_the_h5(course, tmp_path):
    """The folder path (Pillow, JPEG, draft mode) must not change what the model learns."""
    for split, data in zip(("train", "test"), course, strict=True):
        for i, (img, y) in enumerate(zip(data.images, data.Y[0], strict=True)):
            folder = tmp_path / split / data.classes[y]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(img).save(folder / f"{i:03d}.jpg", quality=95)
    train, test = load_data(tmp_path)
    assert (train.m, test.m) == (209, 50) and train.classes == ("non-cat", "cat")
    for k, name in enumerate(train.names):  # 64 px in, 64 px out: exactly what the JPEG decodes to
        with Image.open(name) as img:
            assert np.array_equal(train.images[k], np.asarray(img.convert("RGB")))
    results = []
    for tr, te in ((train, test), course):
        gd = GradientDescent(tr.X, tr.Y, X_test=te.X, Y_test=te.Y)
        gd.step(2000)
        results.append(gd.metrics())
    folders, h5 = results
    assert abs(folders["train_accuracy"] - h5["train_accuracy"]) <= 2.0
    assert abs(folders["test_accuracy"] - h5["test_accuracy"]) <= 8.0
