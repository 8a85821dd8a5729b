"""The feed, read back by real podcast clients' parsers (podcastparser, feedparser)."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import os
import uuid
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest
from lxml import etree

from msaudio import __version__
from msaudio.errors import ConfigError
from msaudio.model import Chapter, Episode, Show, Timeline
from msaudio.publish import feed
from msaudio.publish.atomic import (
    atomic_path,
    digest,
    restamp,
    stamped,
    write_bytes_atomic,
)
from msaudio.publish.feed import (
    ITUNES_NS,
    PODCAST_NS,
    apple_categories,
    render_feed,
    validate_category,
    write_feed,
)
from tests.helpers import xattrs_work

BASE = "https://example.org/ms-radio/"
COVER = BASE + "cover.jpg"
HOSTILE = "Fish & chips <b> \"quoted\" 'single' ]]> </item> <script>alert(1)</script>"
NS = {
    "itunes": ITUNES_NS,
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "psc": "http://podlove.org/simple-chapters",
}
# The Podcast Index namespace's first URI, the only one podcastparser 0.6.11 knows.
LEGACY_PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"


def make_show(**changes: Any) -> Show:
    values: dict[str, Any] = {
        "title": "MS Radio",
        "description": "Articles about living with MS, read aloud.",
        "author": "Harbour Neurology Clinic",
        "base_url": BASE,
        "owner_name": "Ed Itor",
        "owner_email": "editor@example.org",
        "copyright": "2024 Harbour Neurology Clinic",
    }
    values.update(changes)
    return Show(**values)


def make_episode(slug: str, published: dt.datetime, **changes: Any) -> Episode:
    values: dict[str, Any] = {
        "slug": slug,
        "title": f"Episode {slug}",
        "guid": f"guid-{slug}",
        "published": published,
        "audio_path": f"episodes/{slug}.mp3",
        "audio_size": 1000 + len(slug),
        "timeline": Timeline(duration=61.6),
        "summary": f"Summary of {slug}.",
    }
    values.update(changes)
    return Episode(**values)


OLD = make_episode("heat-and-fatigue", dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC))
# 01:30 at UTC+5 is still Sunday 2 June in GMT: the weekday must follow GMT.
NEW = make_episode(
    "baclofen-basics",
    dt.datetime(2024, 6, 3, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    author="Dr Ada Lane",
    audio_size=4_321_987,
    timeline=Timeline(duration=1234.5),
)


def render(show: Show | None = None, episodes: list[Episode] | None = None) -> bytes:
    return render_feed(show or make_show(), [OLD, NEW] if episodes is None else episodes, COVER)


def podcast(data: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = podcastparser.parse(BASE + "feed.xml", io.BytesIO(data))
    return parsed


def test_podcastparser_reads_channel() -> None:
    feed = podcast(render())
    assert feed["title"] == "MS Radio"
    assert feed["link"] == BASE
    assert feed["description"] == "Articles about living with MS, read aloud."
    assert feed["cover_url"] == COVER
    assert feed["itunes_categories"] == [["Health & Fitness", "Medicine"]]
    assert feed["explicit"] is False
    assert feed["itunes_author"] == "Harbour Neurology Clinic"
    assert feed["itunes_owner"] == {"name": "Ed Itor", "email": "editor@example.org"}
    assert feed["language"] == "en-us"
    assert feed["type"] == "episodic"
    assert feed["generator"] == f"msaudio {__version__}"


def test_podcastparser_reads_items_newest_first() -> None:
    episodes = podcast(render())["episodes"]
    assert [e["guid"] for e in episodes] == ["guid-baclofen-basics", "guid-heat-and-fatigue"]
    newest = episodes[0]
    assert newest["title"] == "Episode baclofen-basics"
    assert newest["enclosures"] == [
        {
            "url": BASE + "episodes/baclofen-basics.mp3",
            "file_size": 4_321_987,
            "mime_type": "audio/mpeg",
        }
    ]
    assert newest["total_time"] == 1234  # round(1234.5) rounds half to even
    assert newest["published"] == int(NEW.published.timestamp())
    assert newest["itunes_author"] == "Dr Ada Lane"
    assert newest["explicit"] is False
    assert newest["description"] == "Summary of baclofen-basics."
    older = episodes[1]
    assert older["total_time"] == 62
    assert older["itunes_author"] == "Harbour Neurology Clinic"  # show author fills in


def test_feedparser_reads_feed() -> None:
    parsed = feedparser.parse(render())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "MS Radio"
    assert parsed.feed.image.href == COVER
    assert [t.term for t in parsed.feed.tags] == ["Health & Fitness", "Medicine"]
    assert {"href": BASE + "feed.xml", "rel": "self", "type": "application/rss+xml"} in [
        dict(link) for link in parsed.feed.links
    ]
    entry = parsed.entries[0]
    assert entry.id == "guid-baclofen-basics"
    assert entry.guidislink is False
    assert entry.itunes_duration == "1234"
    (enclosure,) = entry.enclosures
    assert enclosure.href == BASE + "episodes/baclofen-basics.mp3"
    assert enclosure.length == "4321987"
    assert enclosure.type == "audio/mpeg"
    assert entry.published_parsed[:6] == (2024, 6, 2, 20, 30, 0)


def test_pubdate_is_rfc2822_gmt_with_the_right_weekday() -> None:
    root = etree.fromstring(render())
    dates = [item.findtext("pubDate", "") for item in root.iterfind("channel/item")]
    assert dates == ["Sun, 02 Jun 2024 20:30:00 GMT", "Wed, 01 May 2024 12:00:00 GMT"]
    for text, episode in zip(dates, [NEW, OLD], strict=True):
        parsed = email.utils.parsedate_to_datetime(text)
        assert parsed == episode.published
        assert text[:3] == parsed.strftime("%a")
    assert root.findtext("channel/lastBuildDate") == dates[0]


def test_channel_structure() -> None:
    root = etree.fromstring(render())
    channel = root.find("channel")
    assert channel is not None
    assert root.get("version") == "2.0"
    assert root.nsmap == NS
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"
    assert channel.findtext("copyright") == "2024 Harbour Neurology Clinic"
    assert channel.find("itunes:image", NS).get("href") == COVER  # type: ignore[union-attr]
    (category,) = channel.findall("itunes:category", NS)
    assert category.get("text") == "Health & Fitness"
    assert [c.get("text") for c in category.findall("itunes:category", NS)] == ["Medicine"]
    (self_link,) = channel.findall("atom:link", NS)
    assert dict(self_link.items()) == {
        "href": BASE + "feed.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert channel.findtext("podcast:medium", namespaces=NS) == "podcast"
    assert channel.findtext("podcast:locked", namespaces=NS) == "no"
    locked = channel.find("podcast:locked", NS)
    assert locked is not None and locked.get("owner") == "editor@example.org"
    # UUIDv5 of "example.org/ms-radio/feed.xml" in the Podcast Index namespace.
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    expected = uuid.uuid5(namespace, "example.org/ms-radio/feed.xml")
    assert channel.findtext("podcast:guid", namespaces=NS) == str(expected)
    for item in channel.findall("item"):
        assert item.findtext("link", "").startswith(BASE + "episodes/")
        assert item.findtext("link", "").endswith(".html")
        assert item.find("guid").get("isPermaLink") == "false"  # type: ignore[union-attr]
        assert item.findtext("itunes:explicit", namespaces=NS) == "false"


def test_declaration_and_pretty_printing() -> None:
    data = render()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    assert b"\n    <item>\n" in data


def test_optional_channel_fields_are_left_out() -> None:
    show = make_show(owner_name=None, owner_email=None, copyright=None, subcategory=None)
    root = etree.fromstring(render(show, []))
    channel = root.find("channel")
    assert channel is not None
    assert channel.find("itunes:owner", NS) is None
    assert channel.findtext("copyright") == f"© {show.author}"
    assert channel.find("podcast:locked", NS).get("owner") is None  # type: ignore[union-attr]
    assert channel.find("lastBuildDate") is None
    assert channel.find("item") is None
    assert channel.find("itunes:category", NS).findall("*") == []  # type: ignore[union-attr]
    assert podcast(render(show, []))["episodes"] == []


def test_explicit_show() -> None:
    root = etree.fromstring(render(make_show(explicit=True)))
    assert root.xpath("//itunes:explicit/text()", namespaces=NS) == ["true"] * 3


def test_hostile_text_round_trips_literally() -> None:
    episode = make_episode(
        "hostile", dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC), title=HOSTILE, summary=HOSTILE
    )
    show = make_show(title=HOSTILE, description=HOSTILE)
    data = render(show, [episode])
    root = etree.fromstring(data)  # well-formed
    assert root.xpath("//script") == []
    item = root.find("channel/item")
    assert item is not None
    assert [child.tag for child in item].count("title") == 1
    assert item.findtext("title") == HOSTILE
    assert item.findtext("itunes:summary", namespaces=NS) == HOSTILE
    # <description> is HTML to podcast apps: the text is escaped so it shows literally.
    escaped = f"<p>{html.escape(HOSTILE, quote=False)}</p>"
    assert item.findtext("description") == escaped

    feed = podcast(data)
    assert feed["title"] == HOSTILE
    assert feed["description"] == HOSTILE
    (parsed,) = feed["episodes"]
    assert parsed["title"] == HOSTILE
    # podcastparser prefers content:encoded, which adds the read-along link.
    assert parsed["description_html"].startswith(escaped + "<p><a href=")

    other = feedparser.parse(data)
    assert not other.bozo
    assert other.feed.title == HOSTILE
    (entry,) = other.entries
    assert entry.title == HOSTILE
    # With content:encoded present, feedparser takes the summary from the plain
    # itunes:summary and the HTML from the content.
    assert (entry.summary, entry.summary_detail.type) == (HOSTILE, "text/plain")
    assert entry.content[0].value.startswith(escaped)


def test_summary_paragraphs_and_empty_summary() -> None:
    two = make_episode("two", OLD.published, summary="First part.\n\n  Second\npart.")
    empty = make_episode("empty", NEW.published, summary="")
    root = etree.fromstring(render(episodes=[two, empty]))
    texts = root.xpath("/rss/channel/item/description/text()")
    assert texts == ["<p>Episode empty</p>", "<p>First part.</p><p>Second part.</p>"]


def test_control_characters_are_dropped() -> None:
    episode = make_episode("ctl", OLD.published, title="Bell\x07 and\x00 null")
    root = etree.fromstring(render(episodes=[episode]))
    assert root.findtext("channel/item/title") == "Bell and null"


def test_enclosure_url_is_quoted() -> None:
    episode = make_episode("odd", OLD.published, audio_path="episodes/café & tea #1.mp3")
    (parsed,) = podcast(render(episodes=[episode]))["episodes"]
    assert parsed["enclosures"][0]["url"] == BASE + "episodes/caf%C3%A9%20%26%20tea%20%231.mp3"


def test_rendering_is_reproducible_and_order_independent() -> None:
    assert render(episodes=[OLD, NEW]) == render(episodes=[NEW, OLD])


def test_naive_publication_time_is_refused() -> None:
    naive = make_episode("naive", dt.datetime(2024, 1, 1, 12, 0))
    with pytest.raises(ValueError, match="no time zone"):
        render(episodes=[naive])


def test_write_feed(tmp_path: Path) -> None:
    target = tmp_path / "public" / "feed.xml"
    write_feed(target, make_show(), [OLD], COVER)
    assert target.read_bytes() == render(episodes=[OLD])
    assert sorted(p.name for p in target.parent.iterdir()) == ["feed.xml"]


def test_an_unchanged_feed_is_not_rendered_or_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.xml"
    assert write_feed(target, make_show(), [OLD, NEW], COVER)
    inode, mtime = target.stat().st_ino, target.stat().st_mtime_ns
    renders: list[int] = []
    render_items = feed._render

    def counted(*args: Any) -> bytes:
        renders.append(1)
        return render_items(*args)

    monkeypatch.setattr(feed, "_render", counted)

    assert not write_feed(target, make_show(), [NEW, OLD], COVER)
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (inode, mtime)
    assert renders == ([] if xattrs_work(tmp_path) else [1])

    # A chapter added: the feed shows chapters, so it is written again.
    chapters = (Chapter("Opening", 0.0, 30.0), Chapter("Resting", 30.0, 61.6))
    changed = make_episode(OLD.slug, OLD.published, timeline=Timeline(61.6, chapters))
    assert write_feed(target, make_show(), [changed, NEW], COVER)
    assert target.read_bytes() == render(episodes=[changed, NEW])

    # Edited by hand (even keeping its size): put right. (The edit's time is
    # set apart, as a person's would be, from a write a few ms before.)
    good = target.read_bytes()
    target.write_bytes(good.replace(b"Opening", b"Op3ning"))
    os.utime(target, ns=(mtime, mtime))
    assert write_feed(target, make_show(), [changed, NEW], COVER)
    assert target.read_bytes() == good

    # The category is still checked when nothing else changed.
    with pytest.raises(ConfigError):
        write_feed(target, make_show(subcategory="Medecine"), [changed, NEW], COVER)


def test_stamps_hold_only_while_the_file_is_untouched(tmp_path: Path) -> None:
    if not xattrs_work(tmp_path):
        pytest.skip("no extended attributes here, so no stamps")
    target = tmp_path / "page.html"
    stamp = digest(("inputs", 1, 2.5))
    assert stamp == digest(("inputs", 1, 2.5)) != digest(("inputs", 1, 2.25))
    write_bytes_atomic(target, b"<p>one</p>", durable=False, stamp=stamp)
    assert stamped(target, stamp)
    assert not stamped(target, digest("other inputs"))
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1))  # touched
    assert not stamped(target, stamp)
    restamp(target, stamp)
    assert stamped(target, stamp)
    target.write_bytes(b"<p>two</p>")  # same size, new bytes, same inode
    assert not stamped(target, stamp)
    assert not stamped(tmp_path / "missing.html", stamp)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_atomic_path_removes_temp_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_apple_category_data() -> None:
    categories = apple_categories()
    assert len(categories) == 19
    assert "Medicine" in categories["Health & Fitness"]
    assert categories["History"] == ()


@pytest.mark.parametrize(
    ("category", "subcategory"),
    [
        ("Health & Fitness", "Medicine"),
        ("Health & Fitness", None),
        ("True Crime", None),
        ("Science", "Life Sciences"),
    ],
)
def test_valid_categories(category: str, subcategory: str | None) -> None:
    validate_category(category, subcategory)


def test_unknown_category_lists_categories() -> None:
    with pytest.raises(ConfigError) as info:
        validate_category("Health", "Medicine")
    message = str(info.value)
    assert "'Health'" in message
    assert "Health & Fitness" in message and "True Crime" in message
    assert "\n" not in message


def test_unknown_subcategory_lists_its_siblings() -> None:
    with pytest.raises(ConfigError) as info:
        validate_category("Health & Fitness", "Neurology")
    message = str(info.value)
    assert "'Neurology'" in message
    assert "Alternative Health, Fitness, Medicine, Mental Health, Nutrition, Sexuality" in message
    assert "Books" not in message


def test_subcategory_of_a_category_without_any() -> None:
    with pytest.raises(ConfigError, match="has no subcategories"):
        validate_category("History", "Medicine")


def test_render_feed_validates_the_category() -> None:
    with pytest.raises(ConfigError, match="Medicine"):
        render(make_show(subcategory="Medecine"))


def test_atomic_writes_are_readable_and_keep_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "new" / "feed.xml"
    write_bytes_atomic(target, b"one")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    write_bytes_atomic(target, b"two")
    assert target.stat().st_mode & 0o777 == 0o640
    write_bytes_atomic(target, b"three", durable=False)
    assert target.read_bytes() == b"three" and target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["feed.xml"]


WITH_FILES = make_episode(
    "resting-well",
    dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC),
    transcript_path="episodes/resting-well.vtt",
    chapters_path="/episodes/resting well & more.chapters.json",
)


def test_transcript_and_chapters_elements() -> None:
    root = etree.fromstring(render(make_show(language="en-gb"), [WITH_FILES, OLD]))
    assert NS["podcast"] == PODCAST_NS
    first, second = root.findall("channel/item")
    (transcript,) = first.findall("podcast:transcript", NS)
    assert dict(transcript.items()) == {
        "url": BASE + "episodes/resting-well.vtt",
        "type": "text/vtt",
        "rel": "captions",
        "language": "en-gb",
    }
    (chapters,) = first.findall("podcast:chapters", NS)
    assert dict(chapters.items()) == {
        "url": BASE + "episodes/resting%20well%20%26%20more.chapters.json",
        "type": "application/json+chapters",
    }
    assert second.findall("podcast:transcript", NS) == []
    assert second.findall("podcast:chapters", NS) == []
    assert [child.tag for child in first][-2:] == [
        f"{{{PODCAST_NS}}}transcript",
        f"{{{PODCAST_NS}}}chapters",
    ]


def test_episode_without_files_renders_as_before() -> None:
    data = render(episodes=[OLD])
    assert b"podcast:transcript" not in data and b"podcast:chapters" not in data
    assert b'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in data
    only_transcript = make_episode("t", OLD.published, transcript_path="episodes/t.vtt")
    item = etree.fromstring(render(episodes=[only_transcript])).find("channel/item")
    assert item is not None
    assert item.find("podcast:transcript", NS) is not None
    assert item.find("podcast:chapters", NS) is None


def test_feedparser_reads_transcript_and_chapters() -> None:
    parsed = feedparser.parse(render(episodes=[WITH_FILES, OLD]))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.namespaces["podcast"] == PODCAST_NS
    entry, older = parsed.entries
    assert entry.podcast_transcript == {
        "url": BASE + "episodes/resting-well.vtt",
        "type": "text/vtt",
        "rel": "captions",
        "language": "en-us",
    }
    assert entry.podcast_chapters == {
        "url": BASE + "episodes/resting%20well%20%26%20more.chapters.json",
        "type": "application/json+chapters",
    }
    assert "podcast_transcript" not in older and "podcast_chapters" not in older


def test_podcastparser_reads_transcript_and_chapters() -> None:
    data = render(episodes=[WITH_FILES, OLD])
    newest, older = podcast(data)["episodes"]
    # The feed still parses, enclosures and all, with the namespace declared.
    assert newest["enclosures"][0]["url"] == BASE + "episodes/resting-well.mp3"
    assert "transcript_url" not in older and "chapters_json_url" not in older
    # podcastparser 0.6.11 maps only the namespace's legacy GitHub URI to ``podcast:``;
    # when it knows the current URI it must find the same values.
    found = {key: newest[key] for key in ("transcript_url", "chapters_json_url") if key in newest}
    expected = {
        "transcript_url": BASE + "episodes/resting-well.vtt",
        "chapters_json_url": BASE + "episodes/resting%20well%20%26%20more.chapters.json",
    }
    assert found in ({}, expected)
    # Element names and attributes are what it looks for, under the URI it knows.
    legacy = data.replace(PODCAST_NS.encode(), LEGACY_PODCAST_NS.encode())
    newest, _ = podcast(legacy)["episodes"]
    assert {key: newest[key] for key in expected} == expected


def test_chapters_are_inline_as_podlove_simple_chapters_for_podcastparser() -> None:
    chapters = (
        Chapter("Resting well", 0.0, 61.25),
        Chapter("Planning & pacing", 61.25, 3725.5),
        Chapter("Cooling", 3725.5, 3800.0),
    )
    episode = make_episode(
        "chaptered",
        dt.datetime(2024, 9, 1, 9, 0, tzinfo=dt.UTC),
        timeline=Timeline(duration=3800.0, chapters=chapters),
    )
    root = etree.fromstring(render(episodes=[episode, OLD]))
    first, second = root.findall("channel/item")
    marks = first.findall("psc:chapters/psc:chapter", NS)
    assert [(m.get("start"), m.get("title")) for m in marks] == [
        ("00:00:00.000", "Resting well"),
        ("00:01:01.250", "Planning & pacing"),
        ("01:02:05.500", "Cooling"),
    ]
    assert second.find("psc:chapters", NS) is None  # no chapters, no element
    parsed = podcast(render(episodes=[episode]))["episodes"][0]["chapters"]
    assert [(c["start"], c["title"]) for c in parsed] == [
        (0, "Resting well"),
        (61, "Planning & pacing"),
        (3725, "Cooling"),
    ]


def test_items_carry_number_person_and_show_notes() -> None:
    chapters = (
        Chapter("Introduction", 0.0, 12.0),
        Chapter("Heat & <symptoms>", 12.0, 95.5),
        Chapter("What helps", 95.5, 200.0),
    )
    episode = make_episode(
        "cool-rooms",
        dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC),
        number=12,
        author="Dr Ada Lane",
        timeline=Timeline(duration=200.0, chapters=chapters),
    )
    data = render(make_show(), [episode, OLD])
    item, old = etree.fromstring(data).findall("channel/item")
    assert item.findtext("itunes:episode", namespaces=NS) == "12"
    assert old.find("itunes:episode", NS) is None  # no number recorded: none invented
    (person,) = item.findall("podcast:person", NS)
    assert (person.text, person.get("role"), person.get("group")) == (
        "Dr Ada Lane",
        "author",
        "writing",
    )
    assert old.findtext("podcast:person", namespaces=NS) == make_show().author
    assert item.findtext("link") == BASE + "episodes/cool-rooms.html"
    notes = item.findtext("content:encoded", namespaces=NS) or ""
    page = etree.fromstring(f"<div>{notes}</div>")
    assert page.findtext("p") == "Summary of cool-rooms."
    assert [li.text for li in page.iter("li")] == [
        "00:00:00 Introduction",
        "00:00:12 Heat & <symptoms>",
        "00:01:35 What helps",
    ]
    assert page.find(".//a").get("href") == BASE + "episodes/cool-rooms.html"  # type: ignore[union-attr]
    parsed = podcast(data)["episodes"][0]
    assert parsed["number"] == 12


def test_descriptions_stay_within_apples_limit() -> None:
    long_summary = " ".join(["Fatigue & heat <are> linked."] * 400)  # about 11,000 bytes
    chapters = tuple(Chapter(f"Part {n} & more", n * 10.0, n * 10.0 + 10) for n in range(300))
    episode = make_episode(
        "long",
        dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC),
        summary=long_summary,
        timeline=Timeline(duration=3000.0, chapters=chapters),
    )
    item = etree.fromstring(render(make_show(), [episode])).find("channel/item")
    assert item is not None
    description = item.findtext("description") or ""
    notes = item.findtext("content:encoded", namespaces=NS) or ""
    summary = item.findtext("itunes:summary", namespaces=NS) or ""
    for text in (description, notes, summary):
        assert 1000 < len(text.encode()) <= 4000
    assert summary.endswith(" …")  # cut between words, and says so
    kept = summary.removesuffix(" …")
    assert long_summary.startswith(kept + " ")
    assert notes.endswith("Read along with the full transcript</a></p>")
    assert "<li>" in notes
