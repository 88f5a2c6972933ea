"""Real files in every format the loader promises, and broken ones, written by the tests."""

import io

import numpy as np
import pytest
from PIL import Image

from visualizer.data import ImageError, load_image
from visualizer.data.images import preprocess


def gradient_image(w=120, h=90, mode="RGB"):
    x = np.linspace(0, 255, w, dtype=np.uint8)
    arr = np.stack([np.tile(x, (h, 1)), np.tile(x[::-1], (h, 1)), np.full((h, w), 128, np.uint8)], axis=2)
    return Image.fromarray(arr).convert(mode)


@pytest.mark.parametrize("fmt, mode", [("JPEG", "RGB"), ("PNG", "RGB"), ("BMP", "RGB"), ("WEBP", "RGB"),
                                       ("GIF", "P"), ("PNG", "L"), ("JPEG", "CMYK"), ("TIFF", "RGB")])
def test_formats_decode_to_rgb(tmp_path, fmt, mode):
    path = tmp_path / f"img.{fmt.lower()}"
    gradient_image(mode=mode).save(path, fmt)
    out = load_image(path, 32)
    assert out.shape == (32, 32, 3) and out.dtype == np.uint8
    assert out.std() > 10  # a real picture, not a blank


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path):
    arr = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (64, 1))
    Image.fromarray(arr).save(tmp_path / "deep.png")
    out = load_image(tmp_path / "deep.png", 16)
    assert out[:, 0].max() < 20 and out[:, -1].min() > 235
    assert 100 < out[:, 8].mean() < 160  # mid-greys survive instead of saturating at 255


def test_transparency_is_flattened_onto_white(tmp_path):
    rgba = np.zeros((40, 40, 4), np.uint8)
    rgba[:, :20] = (255, 0, 0, 255)  # left half opaque red, right half fully transparent black
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    out = load_image(tmp_path / "a.png", 16)
    assert tuple(out[8, 2]) == (255, 0, 0)
    assert tuple(out[8, 14]) == (255, 255, 255)


def test_exif_orientation_is_applied(tmp_path):
    img = Image.new("RGB", (80, 40), "white")
    img.paste((0, 0, 0), (0, 0, 40, 40))  # left half black as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": the black half ends up on top
    img.save(tmp_path / "r.jpg", exif=exif.tobytes(), quality=95)
    out = load_image(tmp_path / "r.jpg", 40).astype(int)
    assert out[:20].mean() < 60 and out[20:].mean() > 200


def test_animated_gif_uses_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (30, 30), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    out = load_image(tmp_path / "anim.gif", 16).astype(int)
    assert out[..., 0].mean() > 200 and out[..., 2].mean() < 50


def test_centre_crop_keeps_the_middle(tmp_path):
    img = Image.new("RGB", (300, 100), (0, 0, 255))
    img.paste((255, 255, 0), (100, 0, 200, 100))  # the middle square is yellow
    out = load_image(_saved(img, tmp_path / "wide.png"), 20).astype(int)
    assert out[..., 2].mean() < 40 and out[..., 0].mean() > 200


def _saved(img, path):
    img.save(path)
    return path


def test_bytes_and_files_give_the_same_pixels(tmp_path):
    path = _saved(gradient_image(), tmp_path / "g.jpg")
    assert np.array_equal(load_image(path), load_image(path.read_bytes()))
    with Image.open(path) as img:
        assert np.array_equal(load_image(path), preprocess(img, 64))


@pytest.mark.parametrize("maker, reason", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_text("hello, I am text"), "not an image"),
    (lambda p: p.write_bytes(_jpeg_bytes()[:400]), "truncated"),
])
def test_broken_files_give_a_reason(tmp_path, maker, reason):
    path = tmp_path / "broken.jpg"
    maker(path)
    with pytest.raises(ImageError, match=reason):
        load_image(path)


def _jpeg_bytes():
    buf = io.BytesIO()
    gradient_image(400, 300).save(buf, "JPEG")
    return buf.getvalue()


def test_oversized_image_is_refused_before_decoding(tmp_path):
    Image.new("1", (8000, 7000)).save(tmp_path / "huge.png")
    with pytest.raises(ImageError, match="too large"):
        load_image(tmp_path / "huge.png")


def test_n_px_out_of_range_is_refused(tmp_path):
    with pytest.raises(ValueError, match="between 16 and 256"):
        load_image(_saved(gradient_image(), tmp_path / "g.png"), 8)
