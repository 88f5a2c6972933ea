"""Files in, (X, Y, images, names, classes, report) out. No Qt here."""

from .course_h5 import default_test_file, read_course_h5
from .dataset import DataError, Dataset, Skipped, images_to_x
from .folders import LoadCancelled, load_folder
from .images import DEFAULT_N_PX, ImageError, load_image
from .sources import DEMO_DIR, load_data, split_dataset

__all__ = [
    "DEFAULT_N_PX",
    "DEMO_DIR",
    "DataError",
    "Dataset",
    "ImageError",
    "LoadCancelled",
    "Skipped",
    "default_test_file",
    "images_to_x",
    "load_data",
    "load_folder",
    "load_image",
    "read_course_h5",
    "split_dataset",
]
