"""``msaudio check`` for a talking book: the zip, its package, and its clips against the audio.

Not a replacement for EPUBCheck (which the tests run): these are the faults a
reading system would trip over and that msaudio can see without Java. The
container is a whole zip whose entries read back at their stated sizes, with
``mimetype`` first and stored; the package names its overlays, each with a
``media:duration`` equal to the sum of its clips (and the book's equal to the
sum of those); every clip plays forward, in order, inside the audio (the MP3
in the book, and the episode's own when given), and highlights an element
that is in the text.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from msaudio.errors import MsaudioError
from msaudio.publish.epub import MEDIA_TYPE
from msaudio.publish.tags import mp3_duration

TOLERANCE = 0.05
"""Seconds a clip may run past the audio, or a stated duration differ from the clips'."""

MAX_UNPACKED = 2_000_000_000
"""Bytes the entries may add up to once unpacked: more is a broken (or hostile) zip."""

_OPF = "{http://www.idpf.org/2007/opf}"
_SMIL = "{http://www.w3.org/ns/SMIL}"
_EPUB = "{http://www.idpf.org/2007/ops}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_CLOCK = re.compile(
    r"(?:(?:(?P<h>\d+):)?(?P<m>[0-5]?\d):(?P<s>[0-5]?\d(?:\.\d+)?))"
    r"|(?P<count>\d+(?:\.\d+)?)(?P<unit>h|min|s|ms)?"
)
_UNITS = {"h": 3600.0, "min": 60.0, "s": 1.0, "ms": 0.001, None: 1.0}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Broken(Exception):
    """A fault that stops the check of this book (reported as one problem)."""


def epub_problems(path: Path, audio_duration: float | None = None) -> list[str]:
    """What is wrong with the talking book at ``path``, one line each (none: fine).

    ``audio_duration`` is the episode MP3's length, which every clip must also fit in.
    """
    try:
        with zipfile.ZipFile(path) as book:
            return _Book(book, audio_duration).problems()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return [f"not a readable EPUB zip ({error})"]
    except _Broken as error:
        return [str(error)]


class _Book:
    def __init__(self, book: zipfile.ZipFile, audio_duration: float | None) -> None:
        self.book = book
        self.audio_duration = audio_duration
        self.found: list[str] = []
        self.texts: dict[str, set[str]] = {}
        """The ids of each XHTML document read so far, by path."""

    def problems(self) -> list[str]:
        self.container()
        opf = self.rootfile()
        package = self.xml(opf)
        folder = posixpath.dirname(opf)
        items = {
            item.get("id", ""): item for item in package.iter(f"{_OPF}item") if item.get("href")
        }
        durations = {
            meta.get("refines", ""): meta.text or ""
            for meta in package.iter(f"{_OPF}meta")
            if meta.get("property") == "media:duration"
        }
        overlays = [item for item in items.values() if item.get("media-type") == _SMIL_TYPE]
        if not overlays:
            self.found.append("the package names no media overlay (SMIL)")
        total = 0.0
        for overlay in overlays:
            name = posixpath.join(folder, unquote(overlay.get("href", "")))
            stated = durations.get(f"#{overlay.get('id')}")
            played = self.overlay(name)
            total += played
            self.duration(f"{name}: media:duration", stated, played)
        if overlays:
            self.duration("package: media:duration", durations.get(""), total)
        return self.found

    def container(self) -> None:
        entries = self.book.infolist()
        first = entries[0] if entries else None
        if first is None or first.filename != "mimetype":
            raise _Broken("the first entry of the zip must be 'mimetype'")
        if first.compress_type != zipfile.ZIP_STORED or first.extra:
            self.found.append("'mimetype' must be stored uncompressed, with no extra field")
        if self.book.read(first) != MEDIA_TYPE.encode("ascii"):
            self.found.append(f"'mimetype' must hold exactly {MEDIA_TYPE}")
        if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
            raise _Broken("its entries unpack to more than 2 GB")
        bad = self.book.testzip()  # every entry read back: its size and its CRC
        if bad is not None:
            raise _Broken(f"entry {bad!r} is damaged (its CRC or size does not match)")

    def rootfile(self) -> str:
        container = self.xml("META-INF/container.xml")
        root = container.find(f"{_CONTAINER}rootfiles/{_CONTAINER}rootfile")
        path = root.get("full-path") if root is not None else None
        if not path:
            raise _Broken("META-INF/container.xml names no package (rootfile)")
        return path

    def overlay(self, name: str) -> float:
        """Check one SMIL document's clips; return the seconds they play."""
        smil = self.xml(name)
        folder = posixpath.dirname(name)
        played = 0.0
        previous = 0.0
        audio_lengths: dict[str, float | None] = {}
        for number, par in enumerate(smil.iter(f"{_SMIL}par"), 1):
            text, audio = par.find(f"{_SMIL}text"), par.find(f"{_SMIL}audio")
            if text is None or audio is None:
                self.found.append(f"{name}: par {number} lacks its text or its audio")
                continue
            self.target(name, number, posixpath.join(folder, unquote(text.get("src", ""))))
            begin = _clock(audio.get("clipBegin", "0"))
            end = _clock(audio.get("clipEnd", ""))
            if begin is None or end is None or end <= begin:
                self.found.append(f"{name}: par {number} has no forward clip")
                continue
            if begin < previous - 0.0005:
                self.found.append(f"{name}: par {number} starts before the clip it follows")
            previous = end
            played += end - begin
            source = posixpath.join(folder, unquote(audio.get("src", "")))
            if source not in audio_lengths:
                audio_lengths[source] = self.audio_length(source, name)
            for length, what in ((audio_lengths[source], source), (self.audio_duration, None)):
                if length is not None and end > length + TOLERANCE:
                    heard = what or "the episode's MP3"
                    self.found.append(
                        f"{name}: par {number} ends at {end:.3f} s, after {heard} ({length:.3f} s)"
                    )
        return played

    def target(self, smil: str, number: int, src: str) -> None:
        document, _, fragment = src.partition("#")
        if document not in self.texts:
            try:
                tree = self.xml(document)
            except _Broken as error:
                self.found.append(str(error))
                self.texts[document] = set()
            else:
                self.texts[document] = {e.get("id", "") for e in tree.iter() if e.get("id")}
        if fragment and fragment not in self.texts[document]:
            self.found.append(f"{smil}: par {number} highlights #{fragment}, not in {document}")

    def audio_length(self, source: str, smil: str) -> float | None:
        try:
            data = self.book.read(source)
        except KeyError:
            self.found.append(f"{smil}: its audio {source} is not in the book")
            return None
        with tempfile.TemporaryDirectory() as folder:
            mp3 = Path(folder) / "audio.mp3"
            mp3.write_bytes(data)
            try:
                return mp3_duration(mp3)
            except MsaudioError as error:
                self.found.append(f"{source}: {error.message}")
                return None

    def duration(self, what: str, stated: str | None, played: float) -> None:
        if stated is None:
            self.found.append(f"{what} is missing")
            return
        seconds = _clock(stated)
        if seconds is None:
            self.found.append(f"{what} {stated!r} is not a clock value")
        elif abs(seconds - played) > TOLERANCE:
            self.found.append(f"{what} says {seconds:.3f} s but its clips play {played:.3f} s")
        elif self.audio_duration is not None and seconds > self.audio_duration + TOLERANCE:
            self.found.append(
                f"{what} says {seconds:.3f} s, longer than the MP3 ({self.audio_duration:.3f} s)"
            )

    def xml(self, name: str) -> etree._Element:
        try:
            data = self.book.read(name)
        except KeyError:
            raise _Broken(f"{name} is not in the book") from None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            raise _Broken(f"{name} is not well-formed XML ({error.msg})") from None


_SMIL_TYPE = "application/smil+xml"


def _clock(value: str) -> float | None:
    """Seconds of a SMIL clock value (``0:01:02.5``, ``02:03.1``, ``12.5s``, ``300ms``)."""
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        return None
    if match["count"] is not None:
        return float(match["count"]) * _UNITS[match["unit"]]
    return int(match["h"] or 0) * 3600 + int(match["m"]) * 60 + float(match["s"])
