"""Files in, (X, Y, images, names, classes, report) out. No Qt here."""

from visualizer.data.cache import cache_dir, cache_size, clear_cache, trim_cache
from visualizer.data.course_h5 import default_test_file, read_course_h5
from visualizer.data.dataset import DataError, Dataset, Skipped, images_to_x
from visualizer.data.decoding import LoadCancelled
from visualizer.data.folders import load_folder
from visualizer.data.images import DEFAULT_N_PX, ImageError, load_image
from visualizer.data.sources import DEMO_DIR, load_data, split_dataset

__all__ = [
    "DEFAULT_N_PX",
    "DEMO_DIR",
    "DataError",
    "Dataset",
    "ImageError",
    "LoadCancelled",
    "Skipped",
    "cache_dir",
    "cache_size",
    "clear_cache",
    "default_test_file",
    "images_to_x",
    "load_data",
    "load_folder",
    "load_image",
    "read_course_h5",
    "split_dataset",
    "trim_cache",
]
