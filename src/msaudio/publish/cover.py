"""Cover art: check a producer's image, or generate a legible one from the title.

Apple Podcasts wants a square RGB JPEG or PNG of 1400-3000 pixels. A
producer's larger or heavier image is scaled down and re-encoded, since the
cover is embedded in every MP3 and each listener downloads it with each
episode. The generated cover is large, high-contrast text on dark navy, readable by someone
with low vision even as a small thumbnail.
"""

from __future__ import annotations

import io
import unicodedata
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from msaudio.errors import ConfigError
from msaudio.model import Show
from msaudio.publish.atomic import write_bytes_atomic

COVER_NAME = "cover.jpg"
MIN_SIZE = 1400
MAX_SIZE = 3000
JPEG_QUALITY = 90
EMBED_BYTES = 500_000
"""A producer's JPEG up to this size is published as is; a heavier one is re-encoded to fit."""
REENCODE_QUALITIES = (85, 80, 75, 70, 65, 60)
"""Tried in turn until the cover fits :data:`EMBED_BYTES`; below 60 faces and text blur."""
REENCODE_SIDES = (MAX_SIZE, 2400, 2000, MIN_SIZE)
"""Sides tried in turn (each with every quality) for a cover that does not fit at full size."""

NAVY = (11, 26, 58)
WHITE = (255, 255, 255)
PALE_YELLOW = (255, 236, 140)
BRAND_LINE = "msaudio · narrated articles"

Font = ImageFont.FreeTypeFont

# Stand-ins for characters Pillow's built-in font has no glyph for.
_FALLBACKS = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00df": "ss",
        "\u00e6": "ae",
        "\u00c6": "AE",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u00f8": "o",
        "\u00d8": "O",
        "\u0142": "l",
        "\u0141": "L",
        "\u00a0": " ",
    }
)


def make_cover(title: str, path: Path, size: int = MIN_SIZE) -> None:
    """Write a square RGB JPEG cover showing ``title`` to ``path``.

    The title is wrapped and set as large as fits within wide margins, in
    heavy white letters on dark navy, with a short pale-yellow brand line
    below. The result depends only on ``title`` and ``size``.
    """
    write_bytes_atomic(path, _jpeg_bytes(render_cover(title, size)))


def render_cover(title: str, size: int = MIN_SIZE) -> Image.Image:
    """Draw the generated cover in memory (see :func:`make_cover`)."""
    image = Image.new("RGB", (size, size), NAVY)
    draw = ImageDraw.Draw(image)
    margin = size // 10
    width = size - 2 * margin

    brand_font = _font(max(size // 24, 12))
    brand_top = size - margin - _line_height(brand_font)
    draw.text((margin, brand_top), BRAND_LINE, font=brand_font, fill=PALE_YELLOW)
    rule_y = brand_top - size // 30
    draw.rectangle(
        (margin, rule_y, margin + size // 6, rule_y + max(size // 180, 2)), fill=PALE_YELLOW
    )

    text = _displayable(title)
    font, lines = _fit(text, width, rule_y - size // 20 - margin, size)
    stroke = max(font.size // 32, 1)
    line_height = _line_height(font)
    y = margin
    for line in lines:
        draw.text((margin, y), line, font=font, fill=WHITE, stroke_width=stroke, stroke_fill=WHITE)
        y += line_height
    return image


def check_cover(path: Path, largest: int | None = MAX_SIZE) -> tuple[int, int, str]:
    """Validate a cover; return ``(width, height, format)``.

    The file must be a JPEG or PNG, square, 1400 to ``largest`` pixels a side
    (``None``: no upper limit, for a producer's image that is scaled down), and
    convertible to RGB. Any problem raises :class:`ConfigError` naming the file.
    """
    try:
        with Image.open(path) as image:
            width, height = image.size
            fmt = image.format or "unknown"
            if fmt not in ("JPEG", "PNG"):
                raise ConfigError(f"cover must be a JPEG or PNG image, not {fmt}", path)
            if width != height:
                raise ConfigError(f"cover must be square, not {width}x{height} pixels", path)
            if width < MIN_SIZE or (largest is not None and width > largest):
                limits = f"{MIN_SIZE}-{largest}" if largest is not None else f"at least {MIN_SIZE}"
                raise ConfigError(
                    f"cover must be {limits} pixels a side, not {width}x{height}", path
                )
            image.convert("RGB")
    except FileNotFoundError as exc:
        raise ConfigError("cover image not found", path) from exc
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ConfigError(f"cover is not a readable image ({exc})", path) from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cover image cannot be read as RGB ({exc})", path) from exc
    return width, height, fmt


def cover_jpeg(show: Show) -> bytes:
    """The show's cover as RGB JPEG bytes.

    A producer's RGB JPEG of at most 3000 pixels and :data:`EMBED_BYTES` is
    used as is; any other (a PNG, another colour mode, a larger or heavier
    image) is converted to an RGB JPEG of at most 3000 pixels; without one, a
    cover is generated from the show's title. The same image always gives the
    same bytes, so rebuilds stay identical.
    """
    if show.cover is None:
        return _jpeg_bytes(render_cover(show.title))
    return _producer_jpeg(show.cover)


def write_cover(out_dir: Path, data: bytes) -> str:
    """Publish cover ``data`` as ``out_dir/cover.jpg`` (an identical file is left alone)."""
    target = out_dir / COVER_NAME
    if not (target.is_file() and target.read_bytes() == data):
        write_bytes_atomic(target, data)
    return COVER_NAME


def prepare_cover(show: Show, out_dir: Path) -> str:
    """Write ``out_dir/cover.jpg`` for the show (see :func:`cover_jpeg`); return its name."""
    return write_cover(out_dir, cover_jpeg(show))


def _producer_jpeg(path: Path) -> bytes:
    """The producer's cover as RGB JPEG bytes, converted only when needed."""
    _, _, fmt = check_cover(path, largest=None)
    with Image.open(path) as image:
        fits = image.width <= MAX_SIZE and path.stat().st_size <= EMBED_BYTES
        if fmt == "JPEG" and image.mode == "RGB" and fits:
            return path.read_bytes()
        profile = image.info.get("icc_profile")
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            rgba = image.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, WHITE)
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = image.convert("RGB")
    data = b""
    # Smaller, never under Apple's 1400 px, when even the lowest quality is too heavy
    # (a photograph full of fine detail, or noise).
    for side in sorted({min(rgb.width, size) for size in REENCODE_SIDES}, reverse=True):
        scaled = rgb if side == rgb.width else rgb.resize((side, side), Image.Resampling.LANCZOS)
        for quality in (JPEG_QUALITY, *REENCODE_QUALITIES):
            data = _jpeg_bytes(scaled, quality, profile)
            if len(data) <= EMBED_BYTES:
                return data
    return data


def _jpeg_bytes(
    image: Image.Image, quality: int = JPEG_QUALITY, icc_profile: object = None
) -> bytes:
    buffer = io.BytesIO()
    extra = {"icc_profile": icc_profile} if isinstance(icc_profile, bytes) else {}
    image.save(buffer, format="JPEG", quality=quality, optimize=True, **extra)
    return buffer.getvalue()


def _fit(text: str, width: int, height: int, size: int) -> tuple[Font, list[str]]:
    """The largest font (down to a legible floor) whose wrapped text fits the box."""
    largest, smallest = max(size // 7, 12), max(size // 20, 12)
    font_size = largest
    while True:
        font = _font(font_size)
        lines = _wrap(text, font, width)
        if len(lines) * _line_height(font) <= height or font_size <= smallest:
            break
        font_size = max(int(font_size * 0.92), smallest)
    max_lines = max(height // _line_height(font), 1)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(lines[-1], font, width)
    return font, lines


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap by measured width; overlong words are split."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word, font) > width and len(word) > 1:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_prefix(word: str, font: Font, width: int) -> int:
    """Length of the longest prefix that fits with a hyphen (at least 1)."""
    low, high = 1, len(word) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if _width(word[:middle] + "-", font) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _ellipsize(line: str, font: Font, width: int) -> str:
    while line and _width(line + "…", font) > width:
        line = line[:-1].rstrip()
    return line + "…"


def _width(text: str, font: Font) -> float:
    return font.getlength(text) + 2 * max(font.size // 32, 1)


def _line_height(font: Font) -> int:
    ascent, descent = font.getmetrics()
    return int((ascent + descent) * 1.12)


@cache
def _font(size: int) -> Font:
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # pragma: no cover - Pillow without FreeType
        raise ConfigError("Pillow was built without FreeType; cannot draw a cover")
    return font


def _displayable(text: str) -> str:
    """Replace characters the built-in font cannot draw with close ASCII forms."""
    out: list[str] = []
    for char in " ".join(text.split()).translate(_FALLBACKS):
        if _has_glyph(char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.extend(c for c in base if _has_glyph(c))
    return "".join(out).strip()


@cache
def _has_glyph(char: str) -> bool:
    probe = _font(40)
    return _glyph_key(char, probe) != _glyph_key("\ue000", probe)


def _glyph_key(char: str, font: Font) -> tuple[object, ...]:
    mask = font.getmask(char)
    return mask.getbbox(), bytes(mask), font.getlength(char)
