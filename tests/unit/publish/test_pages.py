"""The show's web pages, parsed back with lxml: structure, accessibility hooks, escaping, reuse."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import posixpath
import re
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from lxml.html import HtmlElement

from msaudio.build import build_show
from msaudio.config import load_config
from msaudio.model import Chapter, Cue, Episode, Show, Timeline
from msaudio.publish import pages
from msaudio.publish.atomic import STAMP_ATTRIBUTE
from msaudio.publish.pages import html_language, transcript_chapters, write_pages
from tests.helpers import NOW, ToneEngine, xattrs_work

BASE = "https://radio.example.net/ms-hour/"
HOSTILE = "Salt & pepper <b>bold</b> \"double\" 'single' ]]> </item> <script>alert(1)</script>"
TWO_SECTIONS = """\
---
title: Steps on a cool morning
author: Rowan Field
date: 2026-09-14
summary: A short walk, timed for the cool part of the day.
---

A short walk early in the day suits many people who tire in the heat.

## Before you set out

Drink a glass of water. Take a stick if your balance varies.

## On the way back

Sit on a bench halfway if your legs feel heavy. Rest counts as part of the walk.
"""


def make_show(**changes: Any) -> Show:
    values: dict[str, Any] = {
        "title": "The MS Hour",
        "description": "Articles for people living with MS, read aloud.\n\nNew on Fridays.",
        "author": "Lakeside MS Group",
        "base_url": BASE,
        "language": "en-gb",
    }
    values.update(changes)
    return Show(**values)


def make_episode(slug: str, published: dt.datetime, **changes: Any) -> Episode:
    cues = (
        Cue(0.1, 1.9, f"Welcome to {slug}."),
        Cue(2.4, 5.0, "Heat can bring old symptoms back for a while."),
        Cue(5.6, 7.2, "Cooling down helps."),
        Cue(8.0, 9.5, "Thank you for listening."),
    )
    chapters = (Chapter("Opening", 0.0, 5.3), Chapter("Cooling down", 5.3, 10.0))
    values: dict[str, Any] = {
        "slug": slug,
        "title": f"All about {slug}",
        "guid": f"guid-{slug}",
        "published": published,
        "audio_path": f"episodes/{slug}.mp3",
        "audio_size": 123_456,
        "timeline": Timeline(duration=10.0, chapters=chapters, cues=cues),
        "summary": f"What {slug} means day to day.",
        "transcript_path": f"episodes/{slug}.vtt",
        "chapters_path": f"episodes/{slug}.chapters.json",
    }
    values.update(changes)
    return Episode(**values)


def day(n: int) -> dt.datetime:
    return dt.datetime(2026, 3, n, 12, tzinfo=dt.UTC)


def parse(path: Path) -> HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text_of(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``out``: inode, modification time and bytes."""
    return {
        str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def local_targets(page: Path, root: HtmlElement, out: Path) -> list[Path]:
    """Files that the page's relative links, sources and stylesheets point at."""
    base = "http://site.invalid/" + str(page.relative_to(out))
    targets = []
    for element, _attribute, link, _pos in root.iterlinks():
        if element.tag == "a" and link.startswith("#"):
            continue
        url = urljoin(base, link)
        if not url.startswith("http://site.invalid/"):
            continue
        assert not link.startswith("/"), f"absolute path {link} breaks serving from a subfolder"
        targets.append(out / unquote(urlsplit(url).path.lstrip("/")))
    return targets


def check_common_structure(root: HtmlElement, lang: str) -> None:
    """What every page must have: language, skip link, landmarks, one h1, ordered headings."""
    assert root.get("lang") == lang
    body = root.body
    focusable = body.xpath(".//a[@href] | .//button | .//audio[@controls] | .//*[@tabindex]")
    skip = focusable[0]
    assert skip.tag == "a" and "skip" in (skip.get("class") or "")
    target_id = skip.get("href").removeprefix("#")
    (target,) = root.xpath(f'//*[@id="{target_id}"]')
    assert target.tag == "main"
    for landmark in ("header", "main", "footer"):
        assert len(body.findall(landmark)) == 1, landmark
    assert body.findall("header/nav")
    for nav in root.iter("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby")
    headings = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert headings[0] == 1 and headings.count(1) == 1
    for before, after in itertools.pairwise(headings):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for element in root.xpath("//*[@aria-labelledby]"):
        assert root.xpath(f'//*[@id="{element.get("aria-labelledby")}"]')
    (viewport,) = root.xpath('//meta[@name="viewport"]')
    assert "user-scalable" not in viewport.get("content") and "maximum-scale" not in viewport.get(
        "content"
    )
    for img in root.iter("img"):
        assert (img.get("alt") or "").strip()


def test_a_built_show_has_complete_accessible_pages(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    (show_dir / "episodes" / "cool-morning.md").write_text(TWO_SECTIONS, encoding="utf-8")
    out = show_dir / "public"
    result = build_show(load_config(show_dir), out, engine=tone_engine, now=NOW)
    assert not result.failures

    index = parse(out / "index.html")
    check_common_structure(index, "en-US")
    assert text_of(index.find(".//h1")) == "Test Show"
    feed_url = "https://podcasts.example.org/ms/feed.xml"
    (subscribe,) = index.xpath('//section[@id="subscribe"]')
    assert text_of(subscribe.find("h2")) == "Subscribe"
    assert feed_url in text_of(subscribe)
    assert [a.get("href") for a in subscribe.iter("a")] == [feed_url]
    assert index.xpath('//link[@rel="alternate"][@type="application/rss+xml"]/@href') == [
        "feed.xml"
    ]
    cover = index.find(".//img")
    assert cover.get("src") == "cover.jpg" and "Test Show" in cover.get("alt")
    listed = index.xpath('//ol[@class="episode-list"]/li//h3/a')
    # Newest first: 1 October (Resting well) before 14 September (the walk).
    assert [text_of(a) for a in listed] == ["Resting well", "Steps on a cool morning"]
    assert [a.get("href") for a in listed] == [
        "episodes/resting-well.html",
        "episodes/cool-morning.html",
    ]
    first = listed[0].getparent().getparent()
    assert first.xpath(".//time/@datetime")[0] == "2026-10-01"
    assert "1 October 2026" in text_of(first)
    assert "Why short rests help." in text_of(first)
    for target in local_targets(out / "index.html", index, out):
        assert target.is_file(), target

    for episode in result.episodes:
        page_path = out / episode.page_path
        page = parse(page_path)
        check_common_structure(page, "en-US")
        assert text_of(page.find(".//h1")) == episode.title
        assert page.findtext(".//title") == f"{episode.title} – Test Show"
        for target in local_targets(page_path, page, out):
            assert target.is_file(), target

        (audio,) = page.iter("audio")
        assert audio.get("controls") is not None and audio.get("preload") == "metadata"
        mp3, vtt, chapters = (
            posixpath.basename(str(path))
            for path in (episode.audio_path, episode.transcript_path, episode.chapters_path)
        )
        assert audio.get("src") == mp3 and mp3.startswith(f"{episode.slug}.")
        (track,) = audio.iter("track")
        assert track.get("kind") == "captions" and track.get("src") == vtt
        downloads = page.xpath("//a[@download]/@href")
        assert mp3 in downloads and vtt in downloads
        assert chapters in page.xpath("//a/@href")

        # The whole transcript, server-side, in order, with its timing.
        spans = page.xpath('//div[@id="transcript"]//span[contains(@class, "cue")]')
        cues = [c for c in episode.timeline.cues if c.text.strip()]
        assert len(cues) > 5
        assert [s.text for s in spans] == [" ".join(c.text.split()) for c in cues]
        assert [s.get("data-start") for s in spans] == [f"{c.start:.3f}" for c in cues]
        assert [s.get("data-end") for s in spans] == [f"{c.end:.3f}" for c in cues]
        starts = [float(s.get("data-start")) for s in spans]
        assert starts == sorted(starts)

        # Chapters: one control each, seeking by data-start, meaningful without JS.
        links = page.xpath('//nav[@aria-labelledby="chapters-heading"]//a')
        timeline_chapters = episode.timeline.chapters
        assert [text_of(a.find('span[@class="chapter-title"]')) for a in links] == [
            c.title for c in timeline_chapters
        ]
        for link, chapter in zip(links, timeline_chapters, strict=True):
            assert link.get("data-start") == f"{chapter.start:.3f}"
            assert link.get("href") == f"{mp3}#t={chapter.start:.3f}"
        transcript_titles = page.xpath('//div[@id="transcript"]//h3')
        assert [text_of(h) for h in transcript_titles] == [c.title for c in timeline_chapters]

        # Speed buttons: real buttons, one pressed; hidden until the script runs.
        speeds = page.xpath("//button[@data-rate]")
        assert [b.get("data-rate") for b in speeds] == ["0.75", "1", "1.25", "1.5"]
        assert [b.get("aria-pressed") for b in speeds] == ["false", "true", "false", "false"]
        assert all(b.get("type") == "button" for b in speeds)
        for enhanced in page.xpath("//*[@data-enhanced]"):
            assert enhanced.get("hidden") is not None
        scripts = page.xpath("//script")
        assert [s.get("src").split("?")[0] for s in scripts] == ["../msaudio.js"]
        assert all(s.get("defer") is not None for s in scripts)


def test_episode_pages_read_back_from_the_manifest_are_identical(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    """A rebuild that reuses every episode rewrites no page (and no other file)."""
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=tone_engine, now=NOW)
    before = snapshot(out)
    again = build_show(config, out, engine=tone_engine, now=NOW + dt.timedelta(days=3))
    assert again.reused == ["resting-well"]
    after = snapshot(out)
    pages = [name for name in after if name.endswith((".html", ".css", ".js"))]
    assert len(pages) == 4
    for name in pages:
        assert after[name] == before[name], f"{name} was rewritten"


def test_unchanged_pages_are_not_rewritten_and_a_change_rewrites_only_its_page(
    tmp_path: Path,
) -> None:
    show = make_show()
    episodes = [make_episode("heat", day(1)), make_episode("sleep", day(2))]
    write_pages(tmp_path, show, episodes, "cover.jpg")
    before = snapshot(tmp_path)
    assert sorted(before) == [
        "episodes/heat.html",
        "episodes/sleep.html",
        "index.html",
        "msaudio.css",
        "msaudio.js",
    ]
    write_pages(tmp_path, show, list(reversed(episodes)), "cover.jpg")
    assert snapshot(tmp_path) == before  # same inode, same mtime, same bytes

    episodes[1] = make_episode("sleep", day(2), title="Sleep and fatigue")
    write_pages(tmp_path, show, episodes, "cover.jpg")
    after = snapshot(tmp_path)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["episodes/sleep.html", "index.html"]
    assert (tmp_path / "episodes/sleep.html").stat().st_mode & 0o777 == 0o644


def test_pages_of_removed_episodes_are_deleted(tmp_path: Path) -> None:
    show = make_show()
    (tmp_path / "episodes").mkdir()
    (tmp_path / "episodes" / "heat.mp3").write_bytes(b"not touched")
    (tmp_path / "notes.html").write_text("the producer's own page", encoding="utf-8")
    write_pages(tmp_path, show, [make_episode("heat", day(1)), make_episode("sleep", day(2))], "c")
    assert (tmp_path / "episodes" / "sleep.html").is_file()
    write_pages(tmp_path, show, [make_episode("heat", day(1))], "c")
    assert not (tmp_path / "episodes" / "sleep.html").exists()
    assert (tmp_path / "episodes" / "heat.html").is_file()
    assert (tmp_path / "episodes" / "heat.mp3").read_bytes() == b"not touched"
    assert (tmp_path / "notes.html").is_file()
    assert "sleep" not in (tmp_path / "index.html").read_text(encoding="utf-8")
    write_pages(tmp_path, show, [], "c")
    assert not list((tmp_path / "episodes").glob("*.html"))
    assert "No episodes yet." in text_of(parse(tmp_path / "index.html"))


def test_a_removed_article_takes_its_page_along(show_dir: Path, tone_engine: ToneEngine) -> None:
    out = show_dir / "public"
    (show_dir / "episodes" / "cool-morning.md").write_text(TWO_SECTIONS, encoding="utf-8")
    build_show(load_config(show_dir), out, engine=tone_engine, now=NOW)
    assert (out / "episodes" / "cool-morning.html").is_file()
    (show_dir / "episodes" / "cool-morning.md").unlink()
    build_show(load_config(show_dir), out, engine=tone_engine, now=NOW)
    assert not (out / "episodes" / "cool-morning.html").exists()
    assert (out / "episodes" / "resting-well.html").is_file()
    assert "cool-morning" not in (out / "index.html").read_text(encoding="utf-8")


def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    show = make_show(title=HOSTILE, description=HOSTILE, author=HOSTILE, copyright=HOSTILE)
    episode = make_episode(
        "hostile",
        day(3),
        title=HOSTILE,
        summary=HOSTILE,
        author=HOSTILE,
        timeline=Timeline(
            duration=4.0,
            chapters=(Chapter(HOSTILE, 0.0, 4.0),),
            cues=(Cue(0.0, 1.0, HOSTILE), Cue(1.5, 3.0, "A plain sentence.")),
        ),
    )
    write_pages(tmp_path, show, [episode], "cover.jpg")
    for path in (tmp_path / "index.html", tmp_path / "episodes" / "hostile.html"):
        raw = path.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<b>" not in raw and "</item>" not in raw
        root = parse(path)
        # The only script is the page's own; no <b> element was injected.
        assert [s.get("src").split("?")[0] for s in root.iter("script")] == [
            "msaudio.js" if path.name == "index.html" else "../msaudio.js"
        ]
        assert not list(root.iter("b")) and not list(root.iter("item"))
        assert root.findtext(".//title").startswith(HOSTILE)
        assert text_of(root.find(".//h1")) == HOSTILE
        (alternate,) = root.xpath('//link[@rel="alternate"]')
        assert alternate.get("title") == HOSTILE
        assert HOSTILE in text_of(root.find(".//footer"))
    page = parse(tmp_path / "episodes" / "hostile.html")
    (first, second) = page.xpath('//span[contains(@class, "cue")]')
    assert first.text == HOSTILE and second.text == "A plain sentence."
    assert text_of(page.xpath('//span[@class="chapter-title"]')[0]) == HOSTILE
    assert HOSTILE in [text_of(p) for p in page.xpath('//p[@class="summary"]')]
    index = parse(tmp_path / "index.html")
    assert index.find(".//img").get("alt") == f"Cover art of {HOSTILE}"


def test_control_characters_never_reach_the_page(tmp_path: Path) -> None:
    episode = make_episode("ctrl", day(3), title="Bell\x07 and\x00 null", summary="Tab\tok")
    write_pages(tmp_path, make_show(), [episode], "cover.jpg")
    raw = (tmp_path / "episodes" / "ctrl.html").read_bytes()
    assert b"\x07" not in raw and b"\x00" not in raw
    assert text_of(parse(tmp_path / "episodes" / "ctrl.html").find(".//h1")) == "Bell and null"


def test_index_lists_episodes_newest_first_with_their_details(tmp_path: Path) -> None:
    episodes = [
        make_episode("middle", day(10), number=2),
        make_episode("oldest", day(2), number=1),
        # 01:30 on the 21st at UTC+5 is still the 20th in UTC.
        make_episode(
            "newest",
            dt.datetime(2026, 3, 21, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
            number=3,
            timeline=Timeline(duration=3725.4),
        ),
    ]
    write_pages(tmp_path, make_show(), episodes, "cover.jpg")
    index = parse(tmp_path / "index.html")
    check_common_structure(index, "en-GB")
    cards = index.xpath('//ol[@class="episode-list"]/li')
    assert [text_of(c.find(".//h3")) for c in cards] == [
        "All about newest",
        "All about middle",
        "All about oldest",
    ]
    newest = text_of(cards[0])
    assert "Episode 3" in newest and "20 March 2026" in newest
    assert "1 hour 2 minutes" in newest
    assert cards[0].xpath(".//time/@datetime") == ["2026-03-20", "PT1H2M5S"]
    assert "What newest means day to day." in newest
    description = [text_of(p) for p in index.xpath('//div[@class="show-intro"]/p')]
    assert description[-2:] == [
        "Articles for people living with MS, read aloud.",
        "New on Fridays.",
    ]


def test_an_episode_without_chapters_or_companion_files_still_has_audio_and_transcript(
    tmp_path: Path,
) -> None:
    cues = (Cue(0.0, 1.0, "One."), Cue(1.2, 2.0, "  "), Cue(2.5, 3.0, "Two\n words."))
    episode = make_episode(
        "bare",
        day(4),
        timeline=Timeline(duration=3.0, cues=cues),
        transcript_path=None,
        chapters_path=None,
    )
    write_pages(tmp_path, make_show(), [episode], "cover.jpg")
    page = parse(tmp_path / "episodes" / "bare.html")
    check_common_structure(page, "en-GB")
    assert page.xpath("//audio/@src") == ["bare.mp3"]
    assert not page.xpath("//track") and not page.xpath('//a[contains(@href, ".vtt")]')
    assert not page.xpath('//nav[@aria-labelledby="chapters-heading"]')
    spans = page.xpath('//span[contains(@class, "cue")]')
    assert [(s.get("id"), s.text) for s in spans] == [("cue-1", "One."), ("cue-2", "Two words.")]


def test_transcript_groups_cues_under_the_chapter_they_are_heard_in() -> None:
    cues = [Cue(0.0, 1.0, "a"), Cue(2.0, 3.0, "b"), Cue(5.0, 6.0, "c"), Cue(9.0, 9.5, "d")]
    chapters = [Chapter("Later", 4.5, 10.0), Chapter("First", 1.0, 4.5), Chapter("Empty", 10, 11)]
    groups = transcript_chapters(chapters, cues)
    assert [(g.title, [c.text for c in g.cues]) for g in groups] == [
        ("First", ["a", "b"]),  # a cue before the first chapter opens it
        ("Later", ["c", "d"]),
        ("Empty", []),
    ]
    assert [g.clock for g in groups] == ["0:01", "0:04", "0:10"]  # a clock truncates


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en-us", "en-US"),
        ("EN_gb", "en-GB"),
        ("de", "de"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ('en"><script>', "en"),
        ("", "en"),
    ],
)
def test_html_language(given: str, expected: str) -> None:
    assert html_language(given) == expected


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_contrast_is_at_least_7_to_1_in_light_and_dark_themes() -> None:
    css = files("msaudio").joinpath("data/static/msaudio.css").read_text(encoding="utf-8")
    light = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6});", css.split("@media")[0]))
    dark_block = css.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0]
    dark = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6});", dark_block))
    pairs = [
        ("--text", "--bg"),
        ("--muted", "--bg"),
        ("--link", "--bg"),
        ("--visited", "--bg"),
        ("--current-text", "--current-bg"),
        ("--button-text", "--button-bg"),
        ("--pressed-text", "--pressed-bg"),
        ("--text", "--surface"),
        ("--link", "--surface"),
        ("--focus", "--bg"),
    ]
    for name, theme in (("light", light), ("dark", dark)):
        assert set(theme) >= {name for pair in pairs for name in pair}, name
        for fore, back in pairs:
            ratio = contrast(theme[fore], theme[back])
            assert ratio >= 7, f"{name}: {fore} on {back} is only {ratio:.2f}:1"
    assert "prefers-reduced-motion: reduce" in css
    lengths = set(re.findall(r"\b\d+(?:\.\d+)?px\b", css))
    assert lengths <= {"1px"}, "sizes are in rem so they follow the user's font size"


def test_assets_need_no_network() -> None:
    static = files("msaudio").joinpath("data/static")
    for name in ("msaudio.css", "msaudio.js"):
        text = static.joinpath(name).read_text(encoding="utf-8")
        assert "http:" not in text and "https:" not in text and "//cdn" not in text
        assert "@import" not in text and "fetch(" not in text


def test_stamped_pages_are_not_even_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not xattrs_work(tmp_path):
        pytest.skip("no extended attributes here, so no stamps")
    show = make_show()
    episodes = [make_episode("heat", day(1)), make_episode("sleep", day(2))]
    write_pages(tmp_path, show, episodes, "cover.jpg")
    before = snapshot(tmp_path)
    rendered: list[str] = []
    render_page, render_index = pages._render_page, pages.render_index

    def page_noted(common: dict[str, Any], page: Any) -> bytes:
        rendered.append(page.path)
        return render_page(common, page)

    def index_noted(*args: Any, **kwargs: Any) -> bytes:
        rendered.append("index")
        return render_index(*args, **kwargs)

    monkeypatch.setattr(pages, "_render_page", page_noted)
    monkeypatch.setattr(pages, "render_index", index_noted)
    write_pages(tmp_path, show, list(reversed(episodes)), "cover.jpg")
    assert rendered == []
    assert snapshot(tmp_path) == before

    # A new summary: that page and the index; a new cue: only that page.
    episodes[0] = make_episode("heat", day(1), summary="Cool water helps.")
    timeline = episodes[1].timeline
    cues = (*timeline.cues, Cue(9.6, 9.9, "One more thing."))
    episodes[1] = make_episode("sleep", day(2), timeline=Timeline(10.0, timeline.chapters, cues))
    write_pages(tmp_path, show, episodes, "cover.jpg")
    assert sorted(rendered) == ["episodes/heat.html", "episodes/sleep.html", "index"]
    assert "One more thing." in (tmp_path / "episodes/sleep.html").read_text(encoding="utf-8")

    # Whatever the show changes shows on every page: all are rendered again.
    rendered.clear()
    write_pages(tmp_path, make_show(title="The MS Half Hour"), episodes, "cover.jpg")
    assert sorted(rendered) == ["episodes/heat.html", "episodes/sleep.html", "index"]


def test_a_page_changed_by_hand_is_put_right(tmp_path: Path) -> None:
    show = make_show()
    episodes = [make_episode("heat", day(1))]
    write_pages(tmp_path, show, episodes, "cover.jpg")
    page = tmp_path / "episodes" / "heat.html"
    good = page.read_bytes()
    with page.open("r+b") as handle:  # same size, new bytes, edited in place...
        handle.write(b"<!doctype html>")
    os.utime(page, ns=(0, 0))  # ...at a time of its own (not within the same few ms)
    write_pages(tmp_path, show, episodes, "cover.jpg")
    assert page.read_bytes() == good

    if not xattrs_work(tmp_path):
        return
    # Copied without its attributes (so unstamped) but intact: left alone, and stamped again.
    os.removexattr(page, STAMP_ATTRIBUTE)
    inode, mtime = page.stat().st_ino, page.stat().st_mtime_ns
    write_pages(tmp_path, show, episodes, "cover.jpg")
    assert (page.stat().st_ino, page.stat().st_mtime_ns) == (inode, mtime)
    assert os.getxattr(page, STAMP_ATTRIBUTE)


def test_worker_processes_write_the_same_pages(tmp_path: Path) -> None:
    show = make_show()
    episodes = [make_episode(f"part-{n}", day(n % 28 + 1), number=n) for n in range(40)]
    write_pages(tmp_path / "one", show, episodes, "cover.jpg", jobs=1)
    write_pages(tmp_path / "three", show, episodes, "cover.jpg", jobs=3)
    one, three = snapshot(tmp_path / "one"), snapshot(tmp_path / "three")
    assert sorted(one) == sorted(three) and len(one) == 43
    assert all(one[name][2] == three[name][2] for name in one)
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in (tmp_path / "three").rglob("*.html"))
    assert not [p for p in (tmp_path / "three").rglob("*") if p.name.endswith(".tmp")]


def test_control_characters_never_reach_any_page(tmp_path: Path) -> None:
    bad = "\x00\x07\x1b\x7f\x85\ufffe"
    show = make_show(
        title=f"Show{bad}", description=f"About{bad}\n\nMore{bad}", author=f"By{bad}", copyright=bad
    )
    episode = make_episode(
        "ctrl",
        day(3),
        title=f"Title{bad}",
        summary=f"Summary{bad}",
        author=f"Writer{bad}",
        timeline=Timeline(
            duration=4.0,
            chapters=(Chapter(f"Part{bad}", 0.0, 4.0),),
            cues=(Cue(0.0, 1.0, f"One{bad} two."), Cue(1.0, 2.0, bad), Cue(2.0, 3.0, "Three.")),
        ),
    )
    write_pages(tmp_path, show, [episode], "cover.jpg")
    for path in (tmp_path / "index.html", tmp_path / "episodes" / "ctrl.html"):
        text = path.read_text(encoding="utf-8")
        assert not [c for c in bad if c in text], path.name
    page = parse(tmp_path / "episodes" / "ctrl.html")
    spans = page.xpath('//span[contains(@class, "cue")]')
    # Those that are whitespace (NEL) still separate words; a cue that is nothing
    # but control characters has no text, so it is left out.
    assert [(s.get("id"), s.text) for s in spans] == [("cue-1", "One two."), ("cue-2", "Three.")]
    assert text_of(page.find(".//h1")) == "Title"
    assert "©" not in text_of(page.find(".//footer"))  # an empty copyright says nothing
