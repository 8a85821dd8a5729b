"""Cover art: generated covers and checks on producers' images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from msaudio.errors import ConfigError
from msaudio.model import Show
from msaudio.publish.cover import (
    EMBED_BYTES,
    NAVY,
    check_cover,
    cover_jpeg,
    make_cover,
    prepare_cover,
    render_cover,
)


def make_show(**changes: Any) -> Show:
    values: dict[str, Any] = {
        "title": "MS Radio",
        "description": "Articles read aloud.",
        "author": "Clinic",
        "base_url": "https://example.org/",
    }
    values.update(changes)
    return Show(**values)


def save_image(path: Path, size: tuple[int, int], fmt: str = "PNG", mode: str = "RGB") -> Path:
    colour: Any = {
        "RGB": (200, 40, 40),
        "RGBA": (200, 40, 40, 0),
        "CMYK": (0, 200, 200, 0),
        "L": 128,
    }[mode]
    Image.new(mode, size, colour).save(path, format=fmt)
    return path


def test_generated_cover_is_a_1400_rgb_jpeg(tmp_path: Path) -> None:
    target = tmp_path / "cover.jpg"
    make_cover("Heat, fatigue and Uhthoff\u2019s phenomenon", target)
    with Image.open(target) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"
        assert image.size == (1400, 1400)
        corner = image.getpixel((5, 5))
        assert isinstance(corner, tuple)
        assert all(abs(a - b) <= 6 for a, b in zip(corner, NAVY, strict=True))
    assert check_cover(target) == (1400, 1400, "JPEG")


def test_generated_cover_has_large_bright_text() -> None:
    image = render_cover("MS News")
    gray = image.convert("L")
    # The title sits in the upper part: plenty of near-white pixels there.
    top = gray.crop((140, 140, 1260, 500))
    histogram = top.histogram()
    assert sum(histogram[230:]) > 20_000
    # And nothing drawn in the side margins.
    _, brightest = gray.crop((0, 0, 100, 1400)).getextrema()
    assert isinstance(brightest, int) and brightest < 60


@pytest.mark.parametrize(
    "title",
    [
        "A" * 300,
        " ".join(["Remyelination therapies in relapsing-remitting MS"] * 20),
        "Ελληνικά και 日本語",
        "",
        "Café — naïve Æsir Straße",
    ],
)
def test_any_title_fits(tmp_path: Path, title: str) -> None:
    target = tmp_path / "cover.jpg"
    make_cover(title, target)
    assert check_cover(target) == (1400, 1400, "JPEG")


def test_other_sizes(tmp_path: Path) -> None:
    target = tmp_path / "big.jpg"
    make_cover("Living well with MS", target, size=3000)
    assert check_cover(target) == (3000, 3000, "JPEG")


def test_generation_is_deterministic(tmp_path: Path) -> None:
    make_cover("Same title", tmp_path / "a.jpg")
    make_cover("Same title", tmp_path / "b.jpg")
    assert (tmp_path / "a.jpg").read_bytes() == (tmp_path / "b.jpg").read_bytes()


@pytest.mark.parametrize(("side", "fmt"), [(1400, "PNG"), (3000, "JPEG"), (2048, "JPEG")])
def test_valid_producer_cover(tmp_path: Path, side: int, fmt: str) -> None:
    path = save_image(tmp_path / f"cover.{fmt.lower()}", (side, side), fmt)
    assert check_cover(path) == (side, side, fmt)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((1000, 1000), "1400-3000 pixels"),
        ((3001, 3001), "1400-3000 pixels"),
        ((1400, 1500), "must be square"),
    ],
)
def test_wrong_size_or_shape(tmp_path: Path, size: tuple[int, int], message: str) -> None:
    path = save_image(tmp_path / "cover.png", size)
    with pytest.raises(ConfigError, match=message) as info:
        check_cover(path)
    assert str(info.value).startswith(f"{path}: ")


def test_wrong_format(tmp_path: Path) -> None:
    path = save_image(tmp_path / "cover.gif", (1400, 1400), "GIF", "L")
    with pytest.raises(ConfigError, match="JPEG or PNG"):
        check_cover(path)


def test_not_an_image_or_missing(tmp_path: Path) -> None:
    junk = tmp_path / "cover.jpg"
    junk.write_bytes(b"this is not a picture")
    with pytest.raises(ConfigError, match="not a readable image"):
        check_cover(junk)
    with pytest.raises(ConfigError, match="not found"):
        check_cover(tmp_path / "missing.png")


def test_truncated_image(tmp_path: Path) -> None:
    path = save_image(tmp_path / "cover.png", (1400, 1400))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ConfigError) as info:
        check_cover(path)
    assert str(path) in str(info.value)


def test_prepare_generates_without_producer_cover(tmp_path: Path) -> None:
    assert prepare_cover(make_show(), tmp_path / "out") == "cover.jpg"
    assert check_cover(tmp_path / "out" / "cover.jpg") == (1400, 1400, "JPEG")


def test_prepare_copies_a_valid_jpeg(tmp_path: Path) -> None:
    source = save_image(tmp_path / "art.jpg", (1500, 1500), "JPEG")
    prepare_cover(make_show(cover=source), tmp_path / "out")
    assert (tmp_path / "out" / "cover.jpg").read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    ("fmt", "mode"), [("PNG", "RGBA"), ("PNG", "RGB"), ("JPEG", "CMYK"), ("PNG", "L")]
)
def test_prepare_converts_to_rgb_jpeg(tmp_path: Path, fmt: str, mode: str) -> None:
    source = save_image(tmp_path / f"art.{fmt.lower()}", (1400, 1400), fmt, mode)
    prepare_cover(make_show(cover=source), tmp_path / "out")
    with Image.open(tmp_path / "out" / "cover.jpg") as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1400, 1400))
        if mode == "RGBA":  # fully transparent pixels become white, not black
            assert image.getpixel((700, 700)) == (255, 255, 255)


def test_prepare_refuses_a_bad_producer_cover(tmp_path: Path) -> None:
    source = save_image(tmp_path / "art.png", (800, 600))
    with pytest.raises(ConfigError, match="square"):
        prepare_cover(make_show(cover=source), tmp_path / "out")
    assert not (tmp_path / "out" / "cover.jpg").exists()


def test_prepare_leaves_an_identical_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare_cover(make_show(), out)
    target = out / "cover.jpg"
    before = target.stat()
    prepare_cover(make_show(), out)
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    prepare_cover(make_show(title="Another title"), out)
    assert target.stat().st_ino != before.st_ino
    with Image.open(io.BytesIO(target.read_bytes())) as image:
        assert image.size == (1400, 1400)


def test_huge_cover_is_scaled_down_and_reencoded(tmp_path: Path) -> None:
    """Issue 21 finding 10: a cover larger than Apple's 3000 pixels is embedded in
    every MP3 as is; it is scaled down to 3000 and re-encoded, the same bytes each build."""
    source = save_image(tmp_path / "art.png", (3600, 3600))
    first = cover_jpeg(make_show(cover=source))
    assert first == cover_jpeg(make_show(cover=source))
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (3000, 3000))


def test_heavy_cover_is_reencoded_smaller(tmp_path: Path) -> None:
    """Issue 21 finding 10: a 17.8 MB cover was embedded in every MP3; a JPEG heavier
    than EMBED_BYTES is re-encoded, smaller, and at least Apple's 1400 pixels."""
    source = tmp_path / "art.jpg"
    Image.effect_noise((1500, 1500), 60).convert("RGB").save(source, quality=100)
    assert source.stat().st_size > EMBED_BYTES
    data = cover_jpeg(make_show(cover=source))
    assert len(data) < source.stat().st_size // 2  # pure noise: it may still not fit
    with Image.open(io.BytesIO(data)) as image:
        assert image.size in ((1500, 1500), (1400, 1400))


def test_light_valid_jpeg_is_kept_as_is(tmp_path: Path) -> None:
    source = save_image(tmp_path / "art.jpg", (3000, 3000), "JPEG")
    assert source.stat().st_size <= EMBED_BYTES
    assert cover_jpeg(make_show(cover=source)) == source.read_bytes()


def test_a_cover_too_detailed_for_any_quality_is_made_smaller_until_it_fits(
    tmp_path: Path,
) -> None:
    """A cover of pure detail stays over EMBED_BYTES at every quality at 3000 pixels (an
    independent re-run of issue 21 found 2.2 MB in every MP3); it is scaled down, never
    under Apple's 1400, until it fits."""
    import numpy as np

    noise = np.random.default_rng(7).integers(0, 256, (3200, 3200, 3), dtype=np.uint8)
    source = tmp_path / "art.png"
    Image.fromarray(noise).save(source)
    data = cover_jpeg(make_show(cover=source))
    assert len(data) <= EMBED_BYTES
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and 1400 <= image.width < 3000
