"""Talking books: every episode also as an EPUB 3 with Media Overlays.

A small show, built with espeak-ng from articles written here, is checked by
Debian's EPUBCheck (no error, no warning), against its own WebVTT transcripts
(every cue a clip, same milliseconds, same text), by axe-core in headless
Chromium, and by ``msaudio check``; a rebuild leaves its bytes alone, and
``[publish] epub = false`` makes none.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from lxml import etree

from msaudio.build import build_show
from msaudio.cache import SentenceCache
from msaudio.check import check_output
from msaudio.check_epub import epub_problems
from msaudio.config import PublishSettings, ShowConfig, load_config, with_overrides
from msaudio.manifest import Manifest
from msaudio.model import Episode
from msaudio.publish.epub import book_identifier, package
from msaudio.publish.tags import mp3_duration
from msaudio.serve import content_type
from tests.audio_checks import parse_vtt
from tests.helpers import NOW, SHOW_TOML, ToneEngine, missing, require_program

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"

COOLING = """\
---
title: Cooler rooms in a hot week
author: Priya Okafor
date: 2026-07-14
summary: Small changes at home that take the edge off a heatwave.
---

Heat makes many people with MS feel weaker for a while. The effect fades once the body cools,
so a cool room is worth some planning.

## Before the sun is high

Shut the curtains on the sunny side early in the morning. Air the rooms at night instead,
when the street has cooled down.

- Move the chair you rest in away from the window.
- Keep a jug of water in the fridge & a glass within reach.
- Hang a damp towel near a fan for a gentle breeze.

## Comparing ways to cool down

| Way | What it costs | How much effort |
|---|---|---|
| Desk fan | Little | Almost none |
| Cooling vest | Some | Putting it on |
| Cool shower | Nothing | A few minutes |

### When to ask for help

> If a fever comes with the weakness, it is not just the weather.

Call your nurse or doctor when symptoms stay after you have cooled down.
"""

LETTER = """\
---
title: A letter about rest days
date: 2026-08-02
---

Dear readers, several of you wrote in about rest days, and this letter answers together what
you asked one by one. Rest is not laziness. It is part of the plan, in the same way as a
walk or a session of physiotherapy is part of the plan.

The first question was how often to rest. There is no single answer, but many people find
that a short rest before they feel tired works better than a long one after they are worn
out. A timer on the phone can help to remember it, because the moment passes easily.

The second question was about guilt. Several of you said you feel you ought to be doing
something. Try to treat a rest day as an appointment that you made with yourself, written
in the calendar like any other.

The third question was what counts as rest. Lying down in a quiet room counts. So does
sitting in the garden with your eyes closed. Scrolling through the news on a phone often
does not, because the mind keeps working hard.

The last question was how to explain rest days to family. Some of you found it helped to
share a short article, or to say plainly how much energy a day holds, and how a busy
morning uses up what the afternoon needed. Thank you for writing, and keep the letters
coming.
"""


@dataclass
class Show:
    config: ShowConfig
    out: Path
    cache: SentenceCache

    def episodes(self) -> dict[str, Episode]:
        return {slug: episode for slug, (_, episode) in Manifest.load(self.out).entries.items()}

    def books(self) -> dict[str, Path]:
        found = {}
        for slug, episode in self.episodes().items():
            assert episode.book_path is not None, slug
            found[slug] = self.out / episode.book_path
        return found


def require_epubcheck() -> list[str]:
    """The EPUBCheck command; a failure (not a skip) when it is missing, as for other e2e tools."""
    java = require_program("java")
    if not EPUBCHECK_JAR.is_file():
        hint = f"{EPUBCHECK_JAR} is missing; scripts/test installs Debian's epubcheck"
        missing(hint)
    return [java, "-jar", str(EPUBCHECK_JAR)]


def make_show(root: Path, *, epub: bool = True) -> ShowConfig:
    (root / "episodes").mkdir(parents=True)
    toml = SHOW_TOML + ("" if epub else "\n[publish]\nepub = false\n")
    (root / "podcast.toml").write_text(toml, encoding="utf-8")
    (root / "episodes" / "cooler-rooms.md").write_text(COOLING, encoding="utf-8")
    (root / "episodes" / "rest-days.md").write_text(LETTER, encoding="utf-8")
    return load_config(root)


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory) -> Show:
    require_program("espeak-ng")
    root = tmp_path_factory.mktemp("epub") / "show"
    config = with_overrides(make_show(root), engine="espeak")
    out = root / "public"
    cache = SentenceCache(root.parent / "cache")
    result = build_show(config, out, now=NOW, cache=cache)
    assert not result.failures, result.failures
    return Show(config, out, cache)


def members(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def text_of(element: etree._Element) -> str:
    return " ".join("".join(map(str, element.itertext())).split())


def test_epubcheck_reports_no_error_and_no_warning(show: Show, tmp_path: Path) -> None:
    command = require_epubcheck()
    for slug, book in show.books().items():
        report = tmp_path / f"{slug}.json"
        run = subprocess.run(
            [*command, str(book), "--json", str(report)],
            capture_output=True,
            text=True,
            check=False,
        )
        assessment = json.loads(report.read_text(encoding="utf-8"))
        serious = [
            f"{m['ID']} {m['severity']}: {m['message']} at {m['locations']}"
            for m in assessment["messages"]
            if m["severity"] in ("FATAL", "ERROR", "WARNING")
        ]
        assert not serious, "\n".join(serious)
        checker = assessment["checker"]
        assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)
        assert run.returncode == 0, run.stdout + run.stderr
        assert assessment["publication"]["hasAudio"] is True


def test_every_cue_is_a_clip_with_its_times_and_its_text(show: Show) -> None:
    table_rows = 0
    for slug, episode in show.episodes().items():
        rows: dict[str, list[str]] = {}
        assert episode.transcript_path is not None
        cues = parse_vtt((show.out / episode.transcript_path).read_text(encoding="utf-8"))
        files = members(show.out / str(episode.book_path))
        content = xml(files["EPUB/content.xhtml"])
        by_id = {e.get("id"): e for e in content.iter() if e.get("id")}
        pars = list(xml(files["EPUB/content.smil"]).iter(f"{SMIL}par"))
        assert len(pars) == len(cues) > 10, slug
        for (start, end, said), par in zip(cues, pars, strict=True):
            audio = par.find(f"{SMIL}audio")
            text = par.find(f"{SMIL}text")
            assert audio is not None and text is not None
            assert abs(clock(audio.get("clipBegin", "")) - start) <= 0.005
            assert abs(clock(audio.get("clipEnd", "")) - end) <= 0.005
            target = by_id[text.get("src", "").removeprefix("content.xhtml#")]
            if target.tag == f"{XHTML}tr":  # a row is read as one sentence of its cells
                assert slug == "cooler-rooms"
                rows.setdefault(str(target.get("id")), []).append(said)
            else:
                assert target.tag == f"{XHTML}span"
                assert text_of(target) == said
        for row_id, row_said in rows.items():
            for cell in by_id[row_id].iter(f"{XHTML}td"):
                assert text_of(cell).rstrip(" .;") in " ".join(row_said), (row_id, row_said)
        table_rows += len(rows)
    assert table_rows == 3  # the three rows of the comparison table


def clock(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def test_the_book_holds_the_article_as_structure_and_the_package_says_what_it_is(
    show: Show,
) -> None:
    episode = show.episodes()["cooler-rooms"]
    book = show.out / str(episode.book_path)
    with zipfile.ZipFile(book) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read(first) == b"application/epub+zip"
        assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    files = members(book)
    assert files["EPUB/audio.mp3"] == (show.out / episode.audio_path).read_bytes()
    content = xml(files["EPUB/content.xhtml"])
    assert [text_of(h) for h in content.iter(f"{XHTML}h1")] == ["Cooler rooms in a hot week."]
    assert [text_of(h) for h in content.iter(f"{XHTML}h2")] == [
        "Before the sun is high.",
        "Comparing ways to cool down.",
    ]
    assert [text_of(h) for h in content.iter(f"{XHTML}h3")] == ["When to ask for help."]
    items = [text_of(li) for li in content.iter(f"{XHTML}li")]
    assert items[1] == "Keep a jug of water in the fridge & a glass within reach."
    assert len(items) == 3
    heads = [text_of(th) for th in content.iter(f"{XHTML}th")]
    assert heads == ["Way", "What it costs", "How much effort"]
    assert len(list(content.iter(f"{XHTML}td"))) == 9
    assert len(list(content.iter(f"{XHTML}blockquote"))) == 1

    chapters = json.loads((show.out / str(episode.chapters_path)).read_bytes())["chapters"]
    nav = xml(files["EPUB/nav.xhtml"])
    links = [text_of(a) for a in nav.iter(f"{XHTML}a")]
    assert links == [chapter["title"] for chapter in chapters] and len(links) == 4

    opf = xml(files["EPUB/package.opf"])
    metadata = opf.find(f"{OPF}metadata")
    assert metadata is not None
    assert metadata.findtext(f"{DC}identifier") == book_identifier(episode.guid)
    assert metadata.findtext(f"{DC}identifier") == f"urn:uuid:{episode.guid}"
    assert metadata.findtext(f"{DC}title") == "Cooler rooms in a hot week"
    assert metadata.findtext(f"{DC}creator") == "Priya Okafor"
    assert metadata.findtext(f"{DC}language") == "en-US"
    assert metadata.findtext(f"{DC}date") == "2026-07-14"
    meta: dict[str, list[str]] = {}
    for element in metadata.iter(f"{OPF}meta"):
        key = str(element.get("property")) + (element.get("refines") or "")
        meta.setdefault(key, []).append(element.text or "")
    assert meta["dcterms:modified"] == [episode.published.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert meta["schema:accessMode"] == ["textual", "auditory"]
    assert {"synchronizedAudioText", "structuralNavigation", "tableOfContents"} <= set(
        meta["schema:accessibilityFeature"]
    )
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["schema:accessModeSufficient"] and meta["schema:accessibilitySummary"]
    assert meta["media:active-class"] == ["-epub-media-overlay-active"]
    assert b".-epub-media-overlay-active" in files["EPUB/book.css"]
    total = clock(meta["media:duration"][0])
    assert meta["media:duration#content-overlay"] == meta["media:duration"]
    assert total <= mp3_duration(show.out / episode.audio_path) + 0.05
    assert total > 20


def test_the_page_links_the_book_and_check_passes(show: Show) -> None:
    assert check_output(show.out) == []
    for slug, book in show.books().items():
        page = (show.out / "episodes" / f"{slug}.html").read_text(encoding="utf-8")
        assert f'href="{book.name}"' in page
        assert "Read and listen as a talking book" in page
    assert content_type("episodes/cooler-rooms.0123456789.epub") == "application/epub+zip"


def test_a_rebuild_leaves_every_book_byte_for_byte_the_same(show: Show, tmp_path: Path) -> None:
    before = {slug: (book.name, book.read_bytes()) for slug, book in show.books().items()}
    again = build_show(show.config, show.out, now=NOW, cache=show.cache)
    assert again.built == [] and sorted(again.reused) == sorted(before)
    after = {slug: (book.name, book.read_bytes()) for slug, book in show.books().items()}
    assert after == before
    # Made again from nothing (another folder, another day), the books are the same bytes.
    fresh = tmp_path / "fresh"
    later = NOW.replace(year=NOW.year + 1)
    remade_show = build_show(show.config, fresh, now=later, cache=show.cache)
    assert not remade_show.failures and remade_show.synthesized == 0
    remade = {
        slug: (Path(str(e.book_path)).name, (fresh / str(e.book_path)).read_bytes())
        for slug, (_, e) in Manifest.load(fresh).entries.items()
    }
    assert remade == before


def test_epub_false_makes_no_book_and_turning_it_on_makes_them(tmp_path: Path) -> None:
    config = make_show(tmp_path / "show", epub=False)
    assert config.publish.epub is False
    out = tmp_path / "show" / "public"
    assert not build_show(config, out, engine=ToneEngine(), now=NOW).failures
    assert not list(out.rglob("*.epub"))
    page = (out / "episodes" / "cooler-rooms.html").read_text(encoding="utf-8")
    assert "talking book" not in page
    assert check_output(out) == []
    on = replace(config, publish=PublishSettings(epub=True))
    assert not build_show(on, out, engine=ToneEngine(), now=NOW).failures
    assert len(list(out.rglob("*.epub"))) == 2
    assert check_output(out) == []


def rewrite(book: Path, change: dict[str, bytes]) -> None:
    files = members(book)
    del files["mimetype"]
    book.write_bytes(package({**files, **change}))


def test_check_catches_a_broken_book(show: Show, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(show.out, out)
    episode = show.episodes()["cooler-rooms"]
    book = out / str(episode.book_path)
    name = str(episode.book_path)
    original = book.read_bytes()
    smil = members(book)["EPUB/content.smil"].decode()
    last = smil.rindex('clipEnd="')
    past = smil[:last] + 'clipEnd="09:00:00.000' + smil[last + len('clipEnd="00:00:00.000') :]
    rewrite(book, {"EPUB/content.smil": past.encode()})
    problems = [str(p) for p in check_output(out)]
    assert any(p.startswith(name) and "ends at 32400.000 s, after" in p for p in problems)
    assert any("media:duration says" in p for p in problems), problems

    wrong_target = smil.replace('content.xhtml#s1"', 'content.xhtml#nowhere"', 1)
    rewrite(book, {"EPUB/content.smil": wrong_target.encode()})
    assert any("#nowhere" in p for p in epub_problems(book))

    book.write_bytes(original[: len(original) // 2])
    assert next(p.message for p in check_output(out) if p.path == name).startswith(
        "not a readable EPUB zip"
    )

    with zipfile.ZipFile(book, "w") as unordered:  # mimetype not first
        unordered.writestr("META-INF/container.xml", b"<container/>")
        unordered.writestr("mimetype", b"application/epub+zip")
    assert epub_problems(book) == ["the first entry of the zip must be 'mimetype'"]

    book.unlink()
    assert any("links to " + name + ", which is missing" in str(p) for p in check_output(out))
    book.write_bytes(original)
    assert check_output(out) == []


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_browser import CHROMIUM_ARGS

    chromium = require_program("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_the_books_xhtml_passes_axe(show: Show, browser: object, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
    from playwright.sync_api import Browser

    from tests.e2e.test_browser import AXE_TAGS

    assert isinstance(browser, Browser)
    passed = {}
    for slug, book in show.books().items():
        folder = tmp_path / slug
        with zipfile.ZipFile(book) as archive:
            archive.extractall(folder)
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme)
            try:
                page = context.new_page()
                for name in ("content.xhtml", "nav.xhtml"):
                    page.goto((folder / "EPUB" / name).as_uri())
                    assert page.evaluate("document.contentType") == "application/xhtml+xml"
                    if name == "content.xhtml":  # as a reading system marks the sentence read
                        page.evaluate(
                            "document.getElementById('s4').classList.add("
                            "'-epub-media-overlay-active')"
                        )
                    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
                    report = Axe().run(page, options=options)
                    label = f"{slug}/{name} ({scheme})"
                    assert report.violations_count == 0, f"{label}:\n{report.generate_report()}"
                    passed[label] = len(report.response["passes"])
            finally:
                context.close()
    print("axe rules passed per book document:", passed)
    assert all(count >= 10 for count in passed.values()), passed
