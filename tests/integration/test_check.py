"""``msaudio check``: a clean build passes; each kind of breakage gives one clear line.

One show is built with the tone engine per module; every case breaks its own
copy of the output folder, then runs both :func:`check_output` and the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from msaudio.build import build_show
from msaudio.check import Problem, check_output
from msaudio.check_rules import duration_seconds
from msaudio.config import load_config
from msaudio.publish.feed import ITUNES_NS, PODCAST_NS
from tests.helpers import ARTICLE_MD, NOW, SHOW_TOML, ToneEngine, episode_file, run_cli

SECOND_ARTICLE = """\
---
title: Cooling down
author: Ben Writer
date: 2026-10-05
summary: A cool cloth and a shady seat.
---

Heat can bring old symptoms back for a while.

## What helps

A damp cloth on the neck helps some people. So does a seat in the shade.
"""

TITLE = "Resting well"
SLUG = "resting-well"
NS = {"itunes": ITUNES_NS, "podcast": PODCAST_NS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("check") / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    (root / "episodes" / f"{SLUG}.md").write_text(ARTICLE_MD, encoding="utf-8")
    (root / "episodes" / "cooling-down.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    result = build_show(load_config(root), root / "public", engine=ToneEngine(), now=NOW)
    assert not result.failures
    return root / "public"


@pytest.fixture
def out(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built output folder, free to break."""
    return Path(shutil.copytree(built, tmp_path / "public", symlinks=True))


def lines_of(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_a_fresh_build_has_no_problems(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_output(out) == []
    code, stdout, _ = run_cli(capsys, "check", str(out))
    assert code == 0
    assert stdout == "ok: 2 episodes, feed valid\n"


# Each breaker damages the folder and returns the line check must print.
Breaker = Callable[[Path], str]


def edit_feed(out: Path, change: Callable[[etree._Element], None]) -> None:
    """Parse feed.xml, let ``change`` edit its channel, write it back."""
    path = out / "feed.xml"
    tree = etree.parse(str(path))
    channel = tree.getroot().find("channel")
    assert channel is not None
    change(channel)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def removing(path: str) -> Callable[[etree._Element], None]:
    """An edit of the channel that removes its first ``path`` element, which must be there."""

    def remove(channel: etree._Element) -> None:
        element = channel.find(path, NS)
        assert element is not None, path
        channel.remove(element)

    return remove


def item_of(channel: etree._Element, title: str = TITLE) -> etree._Element:
    for item in channel.iterfind("item"):
        if item.findtext("title") == title:
            return item
    raise AssertionError(f"no item {title!r}")


def truncated_mp3(out: Path) -> str:
    mp3 = episode_file(out, SLUG)
    size = mp3.stat().st_size
    mp3.write_bytes(mp3.read_bytes()[: size - 1000])
    return (
        f"feed.xml: item '{TITLE}': enclosure length {size} "
        f"but episodes/{mp3.name} is {size - 1000} bytes"
    )


def deleted_mp3(out: Path) -> str:
    mp3 = episode_file(out, SLUG)
    mp3.unlink()
    return f"feed.xml: item '{TITLE}': enclosure episodes/{mp3.name} is missing"


def deleted_transcript(out: Path) -> str:
    vtt = episode_file(out, SLUG, ".vtt")
    vtt.unlink()
    return f"feed.xml: item '{TITLE}': transcript episodes/{vtt.name} is missing"


def transcript_without_header(out: Path) -> str:
    path = episode_file(out, SLUG, ".vtt")
    path.write_text(path.read_text(encoding="utf-8").removeprefix("WEBVTT"), encoding="utf-8")
    return f"episodes/{path.name}: does not start with 'WEBVTT'"


def transcript_out_of_order(out: Path) -> str:
    path = episode_file(out, SLUG, ".vtt")
    path.write_text(
        "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nLater.\n\n"
        "00:00:01.000 --> 00:00:02.000\nEarlier.\n",
        encoding="utf-8",
    )
    return (
        f"episodes/{path.name}: line 6: cue starts before the previous one "
        "('00:00:01.000 --> 00:00:02.000')"
    )


def transcript_bad_timing(out: Path) -> str:
    path = episode_file(out, SLUG, ".vtt")
    path.write_text("WEBVTT\n\n1\n00:00:01,000 --> 00:00:02,000\nCommas.\n", encoding="utf-8")
    timing = "'00:00:01,000 --> 00:00:02,000'"
    return f"episodes/{path.name}: line 4: cue timing {timing} does not parse"


def malformed_chapters(out: Path) -> str:
    path = episode_file(out, SLUG, ".chapters.json")
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    return f"episodes/{path.name}: not valid JSON"


def chapters_out_of_order(out: Path) -> str:
    path = episode_file(out, SLUG, ".chapters.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["chapters"].reverse()
    path.write_text(json.dumps(document), encoding="utf-8")
    return f"episodes/{path.name}: chapter 2 starts before the chapter before it"


def chapters_without_version(out: Path) -> str:
    path = episode_file(out, SLUG, ".chapters.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 1.2
    path.write_text(json.dumps(document), encoding="utf-8")
    return f"episodes/{path.name}: JSON chapters need a 'version' string"


def deleted_page(out: Path) -> str:
    (out / "episodes" / f"{SLUG}.html").unlink()
    return f"feed.xml: item '{TITLE}': episode page episodes/{SLUG}.html is missing"


def page_without_its_audio(out: Path) -> str:
    """A page naming a file the feed does not (as a page written before its media would)."""
    page = out / "episodes" / f"{SLUG}.html"
    mp3 = episode_file(out, SLUG).name
    page.write_text(page.read_text("utf-8").replace(mp3, "gone.0123456789.mp3"), "utf-8")
    return f"episodes/{SLUG}.html: links to episodes/gone.0123456789.mp3, which is missing"


def deleted_chapters(out: Path) -> str:
    chapters = episode_file(out, SLUG, ".chapters.json")
    chapters.unlink()
    return f"feed.xml: item '{TITLE}': chapters episodes/{chapters.name} is missing"


def wrong_weekday(out: Path) -> str:
    expected: list[str] = []

    def change(channel: etree._Element) -> None:
        pub_date = item_of(channel).find("pubDate")
        assert pub_date is not None and pub_date.text is not None
        moment = dt.datetime.strptime(pub_date.text[5:], "%d %b %Y %H:%M:%S GMT")
        wrong = (moment + dt.timedelta(days=1)).strftime("%a")
        pub_date.text = wrong + pub_date.text[3:]
        expected.append(
            f"feed.xml: item '{TITLE}': pubDate '{pub_date.text}' says {wrong} "
            f"but {moment:%d %b %Y} is a {moment:%A}"
        )

    edit_feed(out, change)
    return expected[0]


def unparsable_date(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        item_of(channel).find("pubDate").text = "2026-10-01T12:00:00Z"  # type: ignore[union-attr]

    edit_feed(out, change)
    return (
        f"feed.xml: item '{TITLE}': pubDate '2026-10-01T12:00:00Z' is not an RFC 2822 date "
        "like 'Wed, 01 May 2024 12:00:00 GMT'"
    )


def duplicate_guid(out: Path) -> str:
    expected: list[str] = []

    def change(channel: etree._Element) -> None:
        first, second = channel.findall("item")
        guid = first.findtext("guid")
        second.find("guid").text = guid  # type: ignore[union-attr]
        expected.append(
            f"feed.xml: item {second.findtext('title')!r}: guid {guid!r} is also the guid of "
            f"item {first.findtext('title')!r}"
        )

    edit_feed(out, change)
    return expected[0]


def missing_image(out: Path) -> str:
    edit_feed(out, removing("itunes:image"))
    return "feed.xml: channel has no <itunes:image href> (Apple requires cover art)"


def small_cover(out: Path) -> str:
    Image.new("RGB", (600, 600), (11, 26, 58)).save(out / "cover.jpg", format="JPEG")
    return "cover.jpg: cover must be 1400-3000 pixels a side, not 600x600"


def oblong_cover(out: Path) -> str:
    Image.new("RGB", (1600, 1400), (11, 26, 58)).save(out / "cover.jpg", format="JPEG")
    return "cover.jpg: cover must be square, not 1600x1400 pixels"


def grey_cover(out: Path) -> str:
    Image.new("L", (1400, 1400), 40).save(out / "cover.jpg", format="JPEG")
    return "cover.jpg: cover must be in RGB colour, not L"


def deleted_cover(out: Path) -> str:
    (out / "cover.jpg").unlink()
    return "feed.xml: channel itunes:image cover.jpg is missing"


def not_well_formed(out: Path) -> str:
    path = out / "feed.xml"
    path.write_bytes(path.read_bytes()[:-200])
    return "feed.xml: not well-formed XML"


def wrong_duration(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        item_of(channel).find("itunes:duration", NS).text = "1:00:00"  # type: ignore[union-attr]

    edit_feed(out, change)
    mp3 = episode_file(out, SLUG).name
    return f"feed.xml: item '{TITLE}': itunes:duration says 3600 s but episodes/{mp3} lasts"


def wrong_type(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        item_of(channel).find("enclosure").set("type", "audio/mp3")  # type: ignore[union-attr]

    edit_feed(out, change)
    return f"feed.xml: item '{TITLE}': enclosure type is 'audio/mp3', not 'audio/mpeg'"


def bad_category(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        channel.find("itunes:category", NS).set("text", "Wellness")  # type: ignore[union-attr]

    edit_feed(out, change)
    return "feed.xml: channel itunes:category: unknown Apple Podcasts category 'Wellness'"


def bad_explicit(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        channel.find("itunes:explicit", NS).text = "no"  # type: ignore[union-attr]

    edit_feed(out, change)
    return "feed.xml: channel: itunes:explicit is 'no', not 'true' or 'false'"


def missing_language(out: Path) -> str:
    edit_feed(out, removing("language"))
    return "feed.xml: channel has no <language>"


def missing_self_link(out: Path) -> str:
    edit_feed(out, removing("{http://www.w3.org/2005/Atom}link"))
    return 'feed.xml: channel has no <atom:link rel="self" href="…feed.xml">'


def long_description(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        item_of(channel).find("description").text = "Rest. " * 700  # type: ignore[union-attr]

    edit_feed(out, change)
    return f"feed.xml: item '{TITLE}': description is 4199 bytes, over the 4000-byte limit"


def set_podcast_tag(out: Path, name: str, text: str) -> None:
    """Give the channel's ``podcast:<name>`` the text ``text``, adding the tag if need be."""

    def change(channel: etree._Element) -> None:
        tag = channel.find(f"podcast:{name}", NS)
        if tag is None:
            tag = etree.SubElement(channel, f"{{{PODCAST_NS}}}{name}")
        tag.text = text

    edit_feed(out, change)


def podcast_tags(out: Path) -> str:
    set_podcast_tag(out, "guid", "not-a-uuid")
    return "feed.xml: channel: podcast:guid 'not-a-uuid' is not a UUID"


def podcast_locked(out: Path) -> str:
    set_podcast_tag(out, "locked", "maybe")
    return "feed.xml: channel: podcast:locked is 'maybe', not one of yes, no"


def bad_episode_number(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        item = item_of(channel)
        number = item.find("itunes:episode", NS)
        if number is None:
            number = etree.SubElement(item, f"{{{ITUNES_NS}}}episode")
        number.text = "first"

    edit_feed(out, change)
    return f"feed.xml: item '{TITLE}': itunes:episode 'first' is not a positive whole number"


def enclosure_elsewhere(out: Path) -> str:
    def change(channel: etree._Element) -> None:
        enclosure = item_of(channel).find("enclosure")
        enclosure.set("url", "https://cdn.example.net/resting.mp3")  # type: ignore[union-attr]

    edit_feed(out, change)
    return (
        f"feed.xml: item '{TITLE}': enclosure https://cdn.example.net/resting.mp3 is not under "
        "the feed's base URL https://podcasts.example.org/ms/"
    )


BREAKERS: list[Breaker] = [
    truncated_mp3,
    deleted_mp3,
    deleted_transcript,
    transcript_without_header,
    transcript_out_of_order,
    transcript_bad_timing,
    malformed_chapters,
    chapters_out_of_order,
    chapters_without_version,
    deleted_chapters,
    deleted_page,
    page_without_its_audio,
    wrong_weekday,
    unparsable_date,
    duplicate_guid,
    missing_image,
    small_cover,
    oblong_cover,
    grey_cover,
    deleted_cover,
    not_well_formed,
    wrong_duration,
    wrong_type,
    bad_category,
    bad_explicit,
    missing_language,
    missing_self_link,
    long_description,
    podcast_tags,
    podcast_locked,
    bad_episode_number,
    enclosure_elsewhere,
]


@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda breaker: breaker.__name__)
def test_each_breakage_is_named_in_one_line(
    out: Path, breaker: Breaker, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = breaker(out)
    problems = lines_of(check_output(out))
    assert any(line.startswith(expected) for line in problems), problems
    assert all("\n" not in line for line in problems)

    code, stdout, _ = run_cli(capsys, "check", str(out))
    assert code == 1
    printed = stdout.splitlines()
    assert any(line.startswith(expected) for line in printed), stdout
    count = len(problems)
    assert printed[-1] == f"{count} problem{'s' if count != 1 else ''} in {out}"


def test_a_folder_never_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lines_of(check_output(tmp_path)) == ["feed.xml: missing; run 'msaudio build' first"]
    code, stdout, _ = run_cli(capsys, "check", str(tmp_path / "nothing-here"))
    assert code == 1
    assert stdout.startswith("feed.xml: missing; run 'msaudio build' first\n")


def test_each_mistake_is_reported_once(out: Path) -> None:
    """Two independent mistakes give exactly two lines, not a cascade."""
    deleted_transcript(out)  # the page links to it too: still one line
    small_cover(out)
    assert len(check_output(out)) == 2


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("62", 62.0), ("01:02", 62.0), ("1:00:02", 3602.0), ("00:00:15", 15.0), ("15.5", 15.5)],
)
def test_durations_in_seconds_or_clock_form(text: str, seconds: float) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "1:75", "a:b", "1:2:3:4", "-5", "1h"])
def test_durations_that_are_not(text: str) -> None:
    assert duration_seconds(text) is None


def test_the_sample_show_checks_clean(tmp_path: Path) -> None:
    """The repository's own show (articles, settings, ledger), narrated by the tone engine."""
    from tests.helpers import REPO

    root = tmp_path / "sample"
    shutil.copytree(REPO / "episodes", root / "episodes")
    for name in ("podcast.toml", "msaudio-ledger.json"):
        shutil.copy(REPO / name, root / name)
    result = build_show(load_config(root), root / "public", engine=ToneEngine(), now=NOW)
    assert not result.failures and len(result.episodes) == 4
    assert check_output(root / "public") == []
