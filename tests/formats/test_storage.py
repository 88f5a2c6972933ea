"""Model and session files: hostile or damaged ones are refused with a message, never half-read."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

from visualizer.core import GradientDescent
from visualizer.data import Dataset, images_to_x
from visualizer.formats import exports, npz_reader
from visualizer.formats.model_files import load_model, save_model
from visualizer.formats.storage import StorageError, load_session, save_session
from visualizer.fs import atomic
from visualizer.model.settings import RunSettings


def dataset(m: int, n_px: int = 16, seed: int = 0, source: str = "mem") -> Dataset:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (m, n_px, n_px, 3), dtype=np.uint8)
    y = (np.arange(m) % 2).reshape(1, m)
    return Dataset(images_to_x(images), y, images, [f"{source}-{i}.png" for i in range(m)], ("non-cat", "cat"), source)


@pytest.fixture
def saved(tmp_path):
    """A valid session after 30 iterations (metrics every 10) and one change of alpha."""
    train, test = dataset(6), dataset(4, seed=1, source="t")
    gd = GradientDescent(train.X, train.Y, alpha=0.01, X_test=test.X, Y_test=test.Y, metric_stride=10)
    gd.step(20)
    gd.alpha = 0.02
    gd.step(10)
    path = tmp_path / "s.vis.npz"
    save_session(path, train, test, {"alpha": 0.02, "loss": "cross-entropy", "init": "zeros", "seed": 0,
                                     "budget": 30, "speed": None, "slice": "w-direction"},
                 gd.history, gd.iteration, gd.w, gd.b)
    return path


def entries(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def settings_with(**changes) -> np.ndarray:
    d = RunSettings().to_dict() | changes
    return np.array(json.dumps(d))


def test_a_valid_session_round_trips(saved):
    s = load_session(saved)
    assert isinstance(s.settings, RunSettings) and s.settings.alpha == 0.02 and s.settings.budget == 30
    assert s.iteration == 30 and len(s.history) == 30 and s.history.alpha_changes == [(0, 0.01), (20, 0.02)]
    assert s.history.metrics["iteration"].values.tolist() == [0, 10, 20, 30]  # the row of the iteration reached too
    assert s.train.m == 6 and s.test.m == 4 and s.w.size == 16 * 16 * 3


def test_a_thinned_history_round_trips(tmp_path):
    """Past its capacity the history keeps every stride-th cost; the session keeps that stride."""
    from visualizer.core.engine.history import History

    h = History(capacity=16)
    h.costs.extend(np.linspace(1.0, 0.1, 100))
    h.set_alpha(0, 0.01)
    h.set_alpha(40, 0.02)
    for i in (0, 50):
        h.record_metrics(i, {"train_cost": 0.5, "train_accuracy": 50.0, "test_cost": None, "test_accuracy": None})
    assert h.costs.stride == 8
    path = tmp_path / "long.npz"
    save_session(path, dataset(6), None, RunSettings(), h, 100, np.zeros(768), 0.0)
    s = load_session(path)
    assert s.history.costs.stride == 8 and len(s.history) == 100
    assert np.array_equal(s.history.costs.values, h.costs.values)
    rows = exports.cost_csv({"run": s.history}).splitlines()
    assert [r.split(",")[1] for r in rows[1:4]] == ["0", "8", "16"] and rows[-1].split(",")[1] == "96"
    assert rows[1].split(",")[4] == "50.0" and rows[-1].endswith(",0.02")


def test_a_run_settings_object_is_saved_too(saved, tmp_path):
    s = load_session(saved)
    out = tmp_path / "again.npz"
    save_session(out, s.train, s.test, RunSettings(alpha=0.5, slice="principal"), s.history, s.iteration, s.w, s.b)
    assert load_session(out).settings == RunSettings(alpha=0.5, slice="principal")


def test_bad_settings_are_not_saved(saved, tmp_path):
    s = load_session(saved)
    with pytest.raises(StorageError, match="not saved.*'alpha'"):
        save_session(tmp_path / "x.npz", s.train, s.test, {"alpha": -1}, s.history, s.iteration, s.w, s.b)
    assert not list(tmp_path.glob("*x.npz*"))


def _drop(*keys):
    return lambda a: {k: v for k, v in a.items() if k not in keys}


def _set(**values):
    return lambda a: a | values


def _labels_all_cats(a):
    return a | {"train_labels": np.ones_like(a["train_labels"])}


#: (name, corruption of a valid session's entries, a fragment the message must contain)
HOSTILE_SESSIONS = [
    ("alpha -1", _set(settings=settings_with(alpha=-1)), "'alpha'"),
    ("alpha NaN", _set(settings=np.array('{"alpha": NaN}')), "'alpha'"),
    ("loss hinge", _set(settings=settings_with(loss="hinge")), "'loss'"),
    ("seed bool", _set(settings=settings_with(seed=True)), "'seed'"),
    ("unknown setting", _set(settings=settings_with(alhpa=1)), "unknown setting"),
    ("settings not JSON", _set(settings=np.array("{alpha")), "not valid JSON"),
    ("settings a list", _set(settings=np.array("[1, 2]")), "JSON object"),
    ("n_px 0", _set(train_images=np.zeros((6, 0, 0, 3), np.uint8), test_images=np.zeros((4, 0, 0, 3), np.uint8)),
     "n_px from 16 to 256"),
    ("16 px with 12288 w", _set(w=np.zeros(12288)), "'w' has 12288 values for 768 features"),
    ("w NaN", lambda a: a | {"w": np.full_like(a["w"], np.nan)}, "'w' holds NaN"),
    ("b inf", _set(b=np.array(np.inf)), "'b' holds NaN"),
    ("iteration negative", _set(iteration=np.array(-3)), "'iteration'"),
    ("iteration fractional", _set(iteration=np.array(29.5)), "'iteration'"),
    ("costs shorter", lambda a: a | {"costs": a["costs"][:-1]}, "'costs'"),
    ("costs negative", lambda a: a | {"costs": -a["costs"]}, "'costs'"),
    ("costs stride 3", _set(costs_stride=np.array(3)), "power of two"),
    ("costs stride 2 for every cost", _set(costs_stride=np.array(2)), "every 2 iteration(s): 30 values"),
    ("metric columns of different lengths", lambda a: a | {"metric_train_cost": a["metric_train_cost"][:-1]},
     "do not line up"),
    ("metric iterations not increasing", _set(metric_iteration=np.array([0.0, 20, 10])), "'metric_iteration'"),
    ("metric beyond the run", _set(metric_iteration=np.array([0.0, 10, 40])), "'metric_iteration'"),
    ("metric longer than the history", lambda a: a | {k: np.zeros(40) if k != "metric_iteration" else
                                                      np.arange(40.0) for k in a if k.startswith("metric_")},
     "'metric_iteration'"),
    ("accuracy 300", lambda a: a | {"metric_train_accuracy": a["metric_train_accuracy"] + 300}, "outside 0 .. 100"),
    ("alpha_changes 3 columns", _set(alpha_changes=np.zeros((2, 3))), "shape (k, 2)"),
    ("alpha_changes empty", _set(alpha_changes=np.zeros((0, 2))), "shape (k, 2)"),
    ("alpha_changes negative alpha", _set(alpha_changes=np.array([[0, 0.01], [20, -0.5]])), "learning rate"),
    ("alpha_changes decreasing", _set(alpha_changes=np.array([[0, 0.01], [20, 0.02], [10, 0.03]])), "go up"),
    ("alpha_changes beyond the run", _set(alpha_changes=np.array([[0, 0.01], [31, 0.02]])), "at most 30"),
    ("alpha_changes not from 0", _set(alpha_changes=np.array([[5, 0.01]])), "start at iteration 0"),
    ("one class name", _set(classes=np.array(["cat"])), "two classes"),
    ("same class twice", _set(classes=np.array(["cat", "cat"])), "two different"),
    ("empty class name", _set(classes=np.array(["", "cat"])), "non-empty"),
    ("label 2", lambda a: a | {"train_labels": a["train_labels"] + 1}, "only 0 and 1"),
    ("only cats in train", _labels_all_cats, "each class"),
    ("names missing one", lambda a: a | {"train_names": a["train_names"][:-1]}, "6 images, 6 labels and 5 names"),
    ("float images", lambda a: a | {"train_images": a["train_images"].astype(float)}, "'train_images' has type"),
    ("4 channels", lambda a: a | {"train_images": np.zeros((6, 16, 16, 4), np.uint8)}, "'train_images' has shape"),
    ("test images of another size", _set(test_images=np.zeros((4, 32, 32, 3), np.uint8)), "test images 32 px"),
    ("load report damaged", _set(train_skipped=np.array('[["a"]]')), "load report"),
    ("metrics nested deep", _set(train_skipped=np.array("[" * 100_000 + "]" * 100_000)), "nested too deeply"),
    ("a model, not a session", _set(format=np.array("visualizer-model")), "not a session file"),
    ("newer version", _set(version=np.array(99)), "newer visualizer"),
    ("w missing", _drop("w"), "'w' is missing"),
    ("test set incomplete", _drop("test_labels"), "'test_labels' is missing"),
    ("unexpected entry", _set(extra=np.zeros(3)), "unexpected entry 'extra.npy'"),
    ("format a number", _set(format=np.array(3.0)), "'format' has type"),
    ("text iteration", _set(iteration=np.array("30")), "'iteration' has type"),
    ("optimizer_changes not JSON", _set(optimizer_changes=np.array("[[0,")), "not valid JSON"),
    ("optimizer_changes not pairs", _set(optimizer_changes=np.array('[[0]]')), "[iteration, settings] pairs"),
    ("optimizer_changes not from 0", _set(optimizer_changes=np.array('[[3, {}]]')), "start at iteration 0"),
    ("optimizer_changes beyond the run", _set(optimizer_changes=np.array('[[0, {}], [31, {}]]')), "at most 30"),
    ("optimizer_changes beta 1", _set(optimizer_changes=np.array('[[0, {"beta": 1.0}]]')), "beta must be a number in"),
    ("optimizer_changes unknown key", _set(optimizer_changes=np.array('[[0, {"bta": 1}]]')), "at iteration 0"),
]


@pytest.mark.parametrize("name, corrupt, message", HOSTILE_SESSIONS, ids=[h[0] for h in HOSTILE_SESSIONS])
def test_hostile_sessions_are_refused_with_a_clear_message(saved, tmp_path, name, corrupt, message):
    bad = tmp_path / "bad.npz"
    np.savez(bad, **corrupt(entries(saved)))
    with pytest.raises(StorageError) as info:
        load_session(bad)
    assert str(info.value).startswith(str(bad)) and message in str(info.value), str(info.value)
    assert "\n" not in str(info.value)


def test_python_objects_are_refused_from_the_header(saved, tmp_path):
    bad = tmp_path / "evil.npz"
    np.savez(bad, **(entries(saved) | {"w": np.array([object()], dtype=object)}))
    with pytest.raises(StorageError, match="refused: the entry 'w' holds Python objects"):
        load_session(bad)


# ---------------------------------------------------------------- sizes before unpacking
def npy_header(shape, descr="<f8") -> bytes:
    """A hand-written .npy header declaring ``shape``, with no data behind it."""
    header = repr({"descr": descr, "fortran_order": False, "shape": tuple(shape)}).encode()
    header += b" " * (-(len(header) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header


def with_member(source, out, name, payload: bytes | None = None, writer=None):
    """A copy of the archive ``source`` whose member ``name`` is replaced."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != name:
                zout.writestr(info.filename, zin.read(info))
        if writer is None:
            zout.writestr(name, payload)
        else:
            with zout.open(name, "w", force_zip64=True) as f:
                writer(f)


def model_file(tmp_path, **changes):
    path = tmp_path / "m.npz"
    args = dict(w=np.zeros(3 * 16 * 16), b=0.5, n_px=16, classes=("non-cat", "cat"), alpha_changes=[(0, 0.005)],
                metrics={"train_cost": 0.5, "test_cost": float("nan")})
    save_model(path, **(args | changes))
    return path


def test_a_zip_bomb_in_a_model_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    def bomb(f):
        f.write(npy_header((8 * 2**20,)))
        zeros = bytes(2**20)
        for _ in range(64):  # 64 MB of zeros, about 64 KB on disk
            f.write(zeros)

    out = tmp_path / "bomb.npz"
    with_member(model_file(tmp_path), out, "w.npy", writer=bomb)
    assert out.stat().st_size < 1_000_000
    unpacked = []
    real_read = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, n=-1: unpacked.append(n) or real_read(self, n))
    with pytest.raises(StorageError, match="the entry 'w' would unpack to 64 MB"):
        load_model(out)
    assert min(unpacked) >= 0 and sum(unpacked) < 100_000  # only other entries' headers were read


@pytest.mark.parametrize("name, header, message", [
    ("w.npy", npy_header((10**12,)), "'w' declares (1000000000000,) values"),
    ("train_images.npy", npy_header((10**7, 256, 256, 3), "|u1"), "'train_images' declares"),
    ("costs.npy", npy_header((-5,)), "'costs' has type"),
    ("train_names.npy", npy_header((3,), "<U100000"), "'train_names' declares"),
    ("settings.npy", npy_header((), "<U1000000"), "'settings' declares"),
])
def test_huge_declared_shapes_are_refused_from_the_header(saved, tmp_path, name, header, message):
    out = tmp_path / "big.npz"
    with_member(saved, out, name, header + b"\0" * 64)
    with pytest.raises(StorageError) as info:
        load_session(out)
    assert message in str(info.value)


def test_a_session_larger_than_memory_can_spare_is_refused(saved, monkeypatch):
    monkeypatch.setattr(npz_reader, "available_memory", lambda: 100_000)
    with pytest.raises(StorageError, match="would need about .* of memory"):
        load_session(saved)


def test_a_header_that_lies_about_its_size_is_damage(saved, tmp_path):
    out = tmp_path / "lie.npz"
    with_member(saved, out, "w.npy", npy_header((768,)) + b"\0" * 100)
    with pytest.raises(StorageError, match="'w' is damaged: its header declares 6,144 bytes"):
        load_session(out)


# ---------------------------------------------------------------- models
@pytest.mark.parametrize("changes, message", [
    ({"alpha_changes": np.zeros((1, 1))}, "shape (k, 2)"),
    ({"alpha_changes": np.zeros((1, 3))}, "shape (k, 2)"),
    ({"alpha_changes": np.array([[0, 0.1], [5, np.nan]])}, "NaN"),
    ({"n_px": np.array(8), "w": np.zeros(3 * 64)}, "'n_px' is 8"),
    ({"n_px": np.array(300), "w": np.zeros(3 * 300 * 300)}, "'w' would unpack to"),
    ({"n_px": np.array(32)}, "'w' has 768 values, but n_px = 32 needs 3072"),
    ({"classes": np.array(["cat", "cat"])}, "two different"),
    ({"b": np.array("0.5")}, "'b' has type"),
])
def test_bad_models_are_one_clear_message(tmp_path, changes, message):
    np.savez(tmp_path / "bad.npz", **(entries(model_file(tmp_path)) | changes))
    with pytest.raises(StorageError) as info:
        load_model(tmp_path / "bad.npz")
    assert message in str(info.value) and "\n" not in str(info.value)


def test_model_metrics_nested_deep_or_not_numbers(tmp_path):
    path = model_file(tmp_path)
    for metrics, message in [("[" * 100_000 + "]" * 100_000, "nested too deeply"), ('{"a": "x"}', "of numbers"),
                             ("{", "not valid JSON")]:
        np.savez(tmp_path / "bad.npz", **(entries(path) | {"metrics": np.array(metrics)}))
        with pytest.raises(StorageError, match=message):
            load_model(tmp_path / "bad.npz")


def test_nan_metrics_are_written_as_null(tmp_path):
    model = load_model(model_file(tmp_path))
    assert model.metrics == {"train_cost": 0.5, "test_cost": None}


def test_a_plain_npy_renamed_npz(tmp_path):
    np.save(tmp_path / "w.npy", np.zeros(768))
    os.rename(tmp_path / "w.npy", tmp_path / "w.npz")
    with pytest.raises(StorageError, match="single .npy array, not an .npz archive"):
        load_model(tmp_path / "w.npz")


@pytest.mark.parametrize("target, message", [("/dev/zero", "is a device"), ("fifo", "named pipe"),
                                             ("missing", "no such file"), (".", "is a folder")])
def test_files_that_are_not_regular_are_never_opened(tmp_path, target, message):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")  # opening it would block forever
    path = target if target.startswith("/") else str(tmp_path / target)
    for load in (load_model, load_session):
        with pytest.raises(StorageError, match=message):
            load(path)


def test_garbage_is_not_an_npz(tmp_path):
    (tmp_path / "g.npz").write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(StorageError, match="not a readable .npz archive|damaged"):
        load_model(tmp_path / "g.npz")


# ---------------------------------------------------------------- writing
def test_stale_temporary_files_of_dead_writers_are_removed(tmp_path):
    dead = 2**22 + 12345  # above the kernel's pid_max default: no such process
    stale = tmp_path / f".m.npz.{dead}.abcd_123.tmp"
    alive = tmp_path / f".m.npz.{os.getpid()}.zzzzzzzz.tmp"
    other_target = tmp_path / f".other.npz.{dead}.abcd_123.tmp"
    not_ours = tmp_path / ".m.npz.notes.tmp"
    for p in (stale, alive, other_target, not_ours):
        p.write_bytes(b"half")
    model_file(tmp_path)
    assert not stale.exists() and alive.exists() and other_target.exists() and not_ours.exists()
    old = tmp_path / ".m.npz.qwertyui.tmp"  # the older naming, without a pid: removed once old
    old.write_bytes(b"x")
    os.utime(old, (0, 0))
    model_file(tmp_path)
    assert not old.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["m.npz", alive.name, other_target.name, not_ours.name])


def _full_disk(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_full_disk_leaves_the_old_file_and_no_litter(tmp_path, monkeypatch):
    path = model_file(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(np, "savez_compressed", _full_disk)
    with pytest.raises(StorageError, match="No space left on device"):
        model_file(tmp_path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_a_failing_writer_leaves_no_temporary_file(tmp_path):
    def boom(f):
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        atomic.atomic_write(tmp_path / "x.json", boom)
    assert not list(tmp_path.iterdir())


def test_tiny_tmpfs_full_disk(tiny_disk):
    """A real full disk, when this process may mount a 64 KB tmpfs (root in a container)."""
    with pytest.raises(StorageError, match="No space left"):
        atomic.atomic_write(tiny_disk / "big.bin", lambda f: f.write(os.urandom(256 * 1024)))
    assert not list(tiny_disk.iterdir())


def test_written_files_get_the_usual_permissions(tmp_path):
    """mkstemp's private 0600 leaked into every model and export."""
    import stat

    target = tmp_path / "m.npz"
    old = os.umask(0o022)
    try:
        save_model(target, np.zeros(768), 0.0, 16, ("a", "b"), [(0, 0.1)], {})
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        save_model(target, np.zeros(768), 0.0, 16, ("a", "b"), [(0, 0.1)], {})
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_optimizer_change_points_round_trip_and_old_files_have_none(saved, tmp_path):
    from visualizer.core.optim.optimizers import Optimizer

    assert "optimizer_changes" not in entries(saved)  # a plain run's file is as before
    assert load_session(saved).history.optimizer_changes == [(0, Optimizer())]
    train = dataset(6)
    gd = GradientDescent(train.X, train.Y, alpha=0.01, metric_stride=10)
    gd.step(10)
    gd.optimizer = Optimizer(kind="momentum", batch_size=2, lam=0.5)
    gd.step(10)
    gd.optimizer = Optimizer(kind="adam", batch_size=3, decay=0.05, decay_kind="exponential")
    gd.step(5)
    path = tmp_path / "o.vis.npz"
    settings = RunSettings(optimizer="adam", batch_size=3, decay=0.05, decay_kind="exponential")
    save_session(path, train, None, settings, gd.history, gd.iteration, gd.w, gd.b)
    s = load_session(path)
    assert s.history.optimizer_changes == gd.history.optimizer_changes
    assert s.settings.optimizer == "adam" and s.settings.batch_size == 3
