"""The cache of decoded images: reused while files are unchanged, never trusted when damaged."""

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.data.test_folders import image_folder, photo
from visualizer.data import cache, cache_dir, cache_size, clear_cache, decoding, images, load_data, load_folder

ROOT = Path(__file__).resolve().parents[2]


def aged(root, seconds=60):
    """Give every file below ``root`` a modification time in the past, as files a user reopens have."""
    old = time.time() - seconds
    for path in [Path(root)] if Path(root).is_file() else Path(root).rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    return root


@pytest.fixture
def decoded(monkeypatch):
    """The paths decoded (not taken from the cache) since the test began."""
    seen = []
    real = decoding._decode

    def counting(path, n_px):
        seen.append(Path(path).name)
        return real(path, n_px)

    monkeypatch.setattr(decoding, "_decode", counting)
    return seen


def same(a, b):
    assert np.array_equal(a.images, b.images) and np.array_equal(a.X, b.X) and np.array_equal(a.Y, b.Y)
    assert a.names == b.names and a.skipped == b.skipped


def packs():
    return sorted((cache_dir() / "folders").glob("*.pack"))


def test_a_second_open_decodes_nothing_and_gives_the_same_set(tmp_path, decoded):
    root = image_folder(tmp_path / "set")
    (root / "cat" / "copy.png").write_bytes((root / "cat" / "c1.png").read_bytes())
    (root / "dog" / "notes.jpg").write_text("not a photo")
    aged(root)
    first = load_folder(root)
    assert len(decoded) == 17 and len(packs()) == 1
    decoded.clear()
    second = load_folder(root)
    assert decoded == []
    same(first, second)
    assert {Path(s.path).name: s.reason for s in second.skipped} == {
        "copy.png": f"duplicate of {root / 'cat' / 'c1.png'} (same bytes)",
        "notes.jpg": "not an image (no format Pillow reads)",
    }
    same(second, load_folder(root, cache=False))


def test_only_changed_added_and_removed_files_are_noticed_and_decoded(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set"))
    load_folder(root)
    photo(root / "cat" / "c0.png", seed=77)  # changed content
    photo(root / "dog" / "new.jpg", seed=78)  # added
    (root / "dog" / "d0.jpg").unlink()  # removed
    aged(root / "cat" / "c0.png", 30)
    aged(root / "dog" / "new.jpg", 30)
    decoded.clear()
    data = load_folder(root)
    assert sorted(decoded) == ["c0.png", "new.jpg"]
    same(data, load_folder(root, cache=False))
    assert str(root / "dog" / "d0.jpg") not in data.names
    decoded.clear()
    load_folder(root)
    assert decoded == []


def test_a_file_touched_without_changing_its_bytes_is_decoded_again(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set"))
    load_folder(root)
    aged(root / "cat", 10)  # new time stamps, same bytes
    decoded.clear()
    load_folder(root)
    assert sorted(decoded) == [f"c{i}.png" for i in range(6)]


def test_files_changed_in_the_last_seconds_are_not_trusted(tmp_path, decoded):
    root = image_folder(tmp_path / "set")  # just written: a second write in the same clock tick could hide
    load_folder(root)
    decoded.clear()
    load_folder(root)
    assert len(decoded) == 15


@pytest.mark.parametrize("damage", ["pixel", "header", "truncated", "longer", "garbage", "empty"])
def test_a_damaged_pack_is_ignored_and_rewritten(tmp_path, decoded, damage):
    root = aged(image_folder(tmp_path / "set"))
    good = load_folder(root)
    (pack,) = packs()
    raw = bytearray(pack.read_bytes())
    if damage == "pixel":
        raw[-100] ^= 0x01
    elif damage == "header":
        raw[cache.FIXED.size + 10] ^= 0x20
    elif damage == "truncated":
        raw = raw[: len(raw) // 2]
    elif damage == "longer":
        raw += b"\0" * 12288
    elif damage == "garbage":
        raw = bytearray(os.urandom(len(raw)))
    else:
        raw = bytearray()
    pack.write_bytes(bytes(raw))
    decoded.clear()
    same(load_folder(root), good)
    assert len(decoded) == 15
    decoded.clear()
    load_folder(root)
    assert decoded == []


def test_a_pack_that_claims_more_than_its_file_holds_is_refused_before_allocating(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set"))
    load_folder(root)
    (pack,) = packs()
    raw = bytearray(pack.read_bytes())
    magic, header, rows, n_px, header_crc, pixels_crc = cache.FIXED.unpack_from(raw)
    raw[: cache.FIXED.size] = cache.FIXED.pack(magic, header, 10**15, n_px, header_crc, pixels_crc)
    pack.write_bytes(bytes(raw))
    decoded.clear()
    assert load_folder(root).m == 15 and len(decoded) == 15


def test_a_pack_of_another_folder_or_version_is_not_used(tmp_path, decoded, monkeypatch):
    one = aged(image_folder(tmp_path / "one"))
    two = aged(image_folder(tmp_path / "two"))
    load_folder(one)
    load_folder(two)
    a, b = packs()
    a.write_bytes(b.read_bytes())  # one folder's pack under the other's name
    decoded.clear()
    load_folder(one)
    load_folder(two)
    assert len(decoded) == 15
    monkeypatch.setattr(images, "PREPROCESS_VERSION", images.PREPROCESS_VERSION + 1)
    decoded.clear()
    load_folder(one)
    assert len(decoded) == 15


def test_each_image_size_has_its_own_pack(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set"))
    small = load_data(root, n_px=32, test_fraction=0)[0]
    large = load_data(root, n_px=48, test_fraction=0)[0]
    decoded.clear()
    assert load_data(root, n_px=32, test_fraction=0)[0].images.shape[1:] == (32, 32, 3)
    assert load_data(root, n_px=48, test_fraction=0)[0].n_x == large.n_x
    assert decoded == [] and len(packs()) == 2 and small.n_px == 32


def test_cache_false_neither_reads_nor_writes(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set"))
    load_data(root, cache=False)
    assert packs() == [] and cache_size() == 0
    load_data(root)
    decoded.clear()
    load_data(root, cache=False)
    assert len(decoded) == 15


def test_size_clear_and_least_recently_used_first_out(tmp_path, monkeypatch):
    folders = [aged(image_folder(tmp_path / name)) for name in ("a", "b", "c")]
    for folder in folders:
        load_folder(folder)
    sizes = {p.name: p.stat().st_size for p in packs()}
    assert cache_size() == sum(sizes.values()) > 15 * 64 * 64 * 3
    one = max(sizes.values())
    old = time.time() - 100
    for k, pack in enumerate(packs()):
        os.utime(pack, (old + k, old + k))
    load_folder(folders[0])  # used again: now the most recent
    recent = cache.FolderCache(folders[0], 64, []).path
    monkeypatch.setattr(cache, "LIMIT_BYTES", 2 * one + 10)
    assert cache.trim_cache() > 0 and len(packs()) == 2 and recent in packs()
    remaining = cache_size()
    assert clear_cache() == remaining and packs() == [] and cache_size() == 0


def test_a_pack_over_the_limit_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "LIMIT_BYTES", 10_000)
    load_folder(aged(image_folder(tmp_path / "set")))
    assert packs() == []


def test_clearing_deletes_only_packs(tmp_path):
    load_folder(aged(image_folder(tmp_path / "set")))
    keep = cache_dir() / "folders" / "notes.txt"
    keep.write_text("mine")
    (cache_dir() / "other.pack").write_text("not ours either")
    clear_cache()
    assert keep.read_text() == "mine" and (cache_dir() / "other.pack").exists()


def test_the_cache_folder_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("VISUALIZER_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("VISUALIZER_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "visualizer"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_dir() == tmp_path / "home" / ".cache" / "visualizer"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache_dir() == tmp_path / "home" / "Library" / "Caches" / "visualizer"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache_dir() == tmp_path / "local" / "visualizer" / "Cache"


def test_tests_never_touch_the_users_cache(cache_folder):
    assert os.environ["VISUALIZER_CACHE_DIR"] == str(cache_folder)
    assert Path.home() not in cache.cache_dir().parents


def test_processes_writing_the_same_pack_at_once_leave_a_whole_one(tmp_path, decoded):
    root = aged(image_folder(tmp_path / "set", n_cat=20, n_dog=20))
    code = ("import sys; from visualizer.data import load_folder\n"
            "for _ in range(4): load_folder(sys.argv[1])\n")
    env = dict(os.environ)
    runs = []
    for _ in range(3):
        clear_cache()
        procs = [subprocess.Popen([sys.executable, "-c", code, str(root)], cwd=ROOT, env=env) for _ in range(3)]
        runs.append([p.wait(timeout=120) for p in procs])
        (pack,) = packs()
        assert [p for p in pack.parent.iterdir() if p.suffix == ".tmp"] == []
        decoded.clear()
        same(load_folder(root), load_folder(root, cache=False))
        assert len(decoded) == 40  # the second load, cache=False; the first came whole from the pack
    assert runs == [[0, 0, 0]] * 3


def test_an_image_in_the_cache_is_the_image_decoded(tmp_path):
    """JPEG draft decoding included: a cached photo and a dropped one are the same pixels."""
    path = tmp_path / "set" / "cat" / "big.jpg"
    path.parent.mkdir(parents=True)
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 255, (375, 500, 3), dtype=np.uint8)).save(path, quality=90)
    photo(tmp_path / "set" / "dog" / "d.png", 1)
    aged(tmp_path / "set")
    load_folder(tmp_path / "set")
    warm = load_folder(tmp_path / "set")
    assert np.array_equal(warm.images[warm.names.index(str(path))], images.load_image(path))


def test_a_fifo_or_device_in_place_of_a_pack_is_not_read(tmp_path, decoded):
    from tests.data.hostile import no_hang

    root = aged(image_folder(tmp_path / "set"))
    load_folder(root)
    (pack,) = packs()
    pack.unlink()
    os.mkfifo(pack)
    decoded.clear()
    with no_hang():
        assert load_folder(root).m == 15
    pack.unlink(missing_ok=True)
    os.symlink("/dev/zero", pack)
    with no_hang():
        assert load_folder(root).m == 15
    assert len(decoded) == 30


def test_clearing_removes_what_killed_writers_left(tmp_path):
    load_folder(aged(image_folder(tmp_path / "set")))
    (pack,) = packs()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = pack.parent / f".{pack.name}.{int(dead.stdout)}.abcd1234.tmp"
    left.write_bytes(b"\0" * 1000)
    assert cache_size() == pack.stat().st_size + 1000
    clear_cache()
    assert list(pack.parent.iterdir()) == []


def test_a_folder_opened_as_dot_keeps_its_names_and_its_pack(tmp_path, decoded, monkeypatch):
    root = aged(image_folder(tmp_path / "set"))
    monkeypatch.chdir(root)
    first = load_folder(".")
    decoded.clear()
    second = load_folder(".")
    assert decoded == [] and "cat/c0.png" in second.names
    same(first, second)


def _stored_png(path, seed):
    """A PNG without compression: any two of the same size have the same number of bytes."""
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 255, (70, 90, 3), dtype=np.uint8)).save(path, compress_level=0)
    return path


@pytest.mark.parametrize("how", ["in place", "renamed over"])
def test_an_image_replaced_with_its_time_stamp_put_back_is_decoded_again(tmp_path, decoded, how):
    """touch -r, cp -p, tar and rsync -a put the modification time back: a new image of the same size gave
    the old pixels. Its change time (and, renamed over, its inode) cannot be put back."""
    root = image_folder(tmp_path / "set")
    target = _stored_png(root / "cat" / "c0.png", 1)
    aged(root)
    load_folder(root)
    stamp = target.stat()
    if how == "in place":
        _stored_png(target, 2)
    else:
        os.replace(_stored_png(tmp_path / "new.png", 2), target)
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (stamp.st_size, stamp.st_mtime_ns)
    decoded.clear()
    data = load_folder(root)
    assert decoded == ["c0.png"]
    assert np.array_equal(data.images[data.names.index(str(target))], images.load_image(target))


def test_a_folder_whose_name_is_not_utf8_is_cached(tmp_path, decoded):
    """Its cache key was made with str.encode(), which refuses the surrogates of undecodable bytes."""
    root = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"F\xff")))
    photo(image_folder(root) / "cat" / os.fsdecode(b"caf\xe9.png"), 50)  # a Latin-1 name too
    first = load_folder(aged(root))
    assert len(decoded) == 16 and len(packs()) == 1
    decoded.clear()
    same(first, load_folder(root))
    assert decoded == [] and str(root / "cat" / os.fsdecode(b"caf\xe9.png")) in first.names
