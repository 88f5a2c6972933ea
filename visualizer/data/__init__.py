"""Files in, (X, Y, images, names, classes, report) out. No Qt here."""

from .course_h5 import default_test_file, read_course_h5
from .dataset import DataError, Dataset, Skipped, images_to_x

__all__ = ["DataError", "Dataset", "Skipped", "default_test_file", "images_to_x", "read_course_h5"]
