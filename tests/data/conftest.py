"""Every data test gets its own empty cache of decoded images, never the user's."""

import pytest


@pytest.fixture(autouse=True)
def cache_folder(tmp_path_factory, monkeypatch):
    """The cache folder of this test (VISUALIZER_CACHE_DIR), empty at its start."""
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("VISUALIZER_CACHE_DIR", str(path))
    return path
