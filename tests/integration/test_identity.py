"""Issue 21 findings 3 and 8: an episode's identity stays with its file, and survives a lost ledger.

Finding 3: with ``b c.txt`` published, adding ``B c.txt`` moved the GUID, number
and date to the newcomer; every name without ASCII letters slugged to ``episode``,
so ``русский.md`` took over ``日本語.md``'s episode. Finding 8: deleting the ledger
gave an edited episode a new GUID and date and renumbered the others.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from msaudio.build import BuildResult, build_show
from msaudio.config import load_config
from msaudio.errors import ConfigError
from msaudio.model import Episode
from msaudio.publish.ledger import LEDGER_NAME
from tests.helpers import NOW, ToneEngine

LATER = NOW + dt.timedelta(days=3)


def article(title: str) -> str:
    return (
        f"{title}\n\nA short walk after lunch helps some readers keep their energy up. "
        "Resting before the afternoon dip is easier than recovering from it.\n"
    )


def build(show: Path, engine: ToneEngine, now: dt.datetime = NOW) -> BuildResult:
    return build_show(load_config(show), show / "public", engine=engine, now=now)


def identities(result: BuildResult) -> dict[str, tuple[str, int | None, dt.datetime, str]]:
    return {e.slug: (e.guid, e.number, e.published, e.title) for e in result.episodes}


def by_slug(result: BuildResult, slug: str) -> Episode:
    return next(e for e in result.episodes if e.slug == slug)


def ledger_json(show: Path) -> dict[str, dict[str, object]]:
    return json.loads((show / LEDGER_NAME).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def forget_sources(show: Path) -> None:
    """Turn the ledger into one written before sources were recorded."""
    document = ledger_json(show)
    for entry in document.values():
        del entry["source"]
    (show / LEDGER_NAME).write_text(json.dumps(document), encoding="utf-8")


@pytest.fixture
def show(show_dir: Path) -> Path:
    (show_dir / "episodes" / "resting-well.md").unlink()
    return show_dir


# --- finding 3: identity belongs to the file that first had it -----------------------------


def test_a_newcomer_with_a_published_name_is_refused_and_the_episode_kept(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    (episodes / "b c.txt").write_text(article("The first walk"), encoding="utf-8")
    before = identities(build(show, tone_engine))
    assert ledger_json(show)["b-c"]["source"] == "b c.txt"

    (episodes / "B c.txt").write_text(article("A newcomer"), encoding="utf-8")
    after = build(show, tone_engine, LATER)
    (failure,) = after.failures
    assert failure.path == episodes / "B c.txt"
    assert "'b-c' is already taken by 'b c.txt'" in str(failure)
    assert "\n" not in str(failure)
    assert identities(after) == before  # same GUID, number, date and title


def test_two_new_files_that_slug_alike_one_publishes_one_is_refused(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    for name in ("Walking Well.txt", "walking-well.txt"):
        (episodes / name).write_text(article(name), encoding="utf-8")
    result = build(show, tone_engine)
    (failure,) = result.failures
    # The file named exactly as the slug keeps it, even though it sorts second.
    assert failure.path == episodes / "Walking Well.txt"
    assert "taken by 'walking-well.txt'" in str(failure)
    assert ledger_json(show)["walking-well"]["source"] == "walking-well.txt"


def test_a_name_whose_file_is_gone_is_not_handed_to_another(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    (episodes / "b c.txt").write_text(article("The first walk"), encoding="utf-8")
    guid = by_slug(build(show, tone_engine), "b-c").guid
    (episodes / "b c.txt").unlink()
    (episodes / "B C.txt").write_text(article("Someone else"), encoding="utf-8")
    result = build(show, tone_engine, LATER)
    (failure,) = result.failures
    assert "belongs to 'b c.txt', which is no longer in episodes/" in str(failure)
    assert not result.episodes
    assert ledger_json(show)["b-c"]["guid"] == guid


def test_names_without_ascii_letters_get_distinct_stable_slugs(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    (episodes / "日本語.md").write_text(article("Japanese notes"), encoding="utf-8")
    first = identities(build(show, tone_engine))
    (episodes / "русский.md").write_text(article("Russian notes"), encoding="utf-8")
    second = build(show, tone_engine, LATER)
    assert not second.failures
    assert len(second.episodes) == 2
    assert all(slug.startswith("episode-") for slug in identities(second))
    (slug,) = first
    assert identities(second)[slug] == first[slug]


def test_an_episode_published_as_episode_keeps_that_name(
    show: Path, tone_engine: ToneEngine
) -> None:
    """A ledger of msaudio 0.3.0, where 日本語.md was published as ``episode``."""
    (show / LEDGER_NAME).write_text(
        json.dumps(
            {"episode": {"guid": "old-guid", "number": 1, "published": "2026-11-01T12:00:00Z"}}
        ),
        encoding="utf-8",
    )
    episodes = show / "episodes"
    (episodes / "日本語.md").write_text(article("Japanese notes"), encoding="utf-8")
    (episodes / "русский.md").write_text(article("Russian notes"), encoding="utf-8")
    result = build(show, tone_engine)
    assert not result.failures
    kept = by_slug(result, "episode")
    assert (kept.guid, kept.number) == ("old-guid", 1)
    # Without a build record, the rule gives it to the first by name; the other is new.
    assert kept.title == "Русский"  # a Markdown title without a heading is its name
    (other,) = [e for e in result.episodes if e.slug != "episode"]
    assert other.slug.startswith("episode-") and other.number == 2
    assert ledger_json(show)["episode"]["source"] == "русский.md"


def test_an_old_ledger_is_filled_in_from_the_build_record(
    show: Path, tone_engine: ToneEngine
) -> None:
    """Migration: the file the build record published keeps the name, the newcomer fails."""
    episodes = show / "episodes"
    (episodes / "b c.txt").write_text(article("The first walk"), encoding="utf-8")
    before = identities(build(show, tone_engine))
    forget_sources(show)
    (episodes / "B c.txt").write_text(article("A newcomer"), encoding="utf-8")  # sorts first
    after = build(show, tone_engine, LATER)
    (failure,) = after.failures
    assert failure.path == episodes / "B c.txt"
    assert identities(after) == before
    assert ledger_json(show)["b-c"]["source"] == "b c.txt"


# --- finding 8: a lost ledger is rebuilt from the published feed ---------------------------


def test_a_deleted_ledger_is_rebuilt_and_no_episode_changes_identity(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    for name in ("pacing.txt", "sleep.txt", "walking.txt"):
        (episodes / name).write_text(article(name.title()), encoding="utf-8")
    before = build(show, tone_engine)
    (show / LEDGER_NAME).unlink()
    (episodes / "sleep.txt").write_text(article("Sleep, edited"), encoding="utf-8")
    lines: list[str] = []
    after = build_show(
        load_config(show), show / "public", engine=tone_engine, now=LATER, log=lines.append
    )
    assert not after.failures
    assert "sleep" not in after.reused  # narrated again, as edited
    keep = {
        slug: (guid, number, date) for slug, (guid, number, date, _) in identities(before).items()
    }
    again = {
        slug: (guid, number, date) for slug, (guid, number, date, _) in identities(after).items()
    }
    assert again == keep
    assert any("rebuilt" in line for line in lines)
    assert set(ledger_json(show)) == set(keep)


def test_a_deleted_ledger_with_an_unreadable_feed_stops_the_build(
    show: Path, tone_engine: ToneEngine
) -> None:
    (show / "episodes" / "pacing.txt").write_text(article("Pacing"), encoding="utf-8")
    build(show, tone_engine)
    (show / LEDGER_NAME).unlink()
    (show / "public" / "feed.xml").write_text("<rss><channel><item>", encoding="utf-8")
    published = sorted(p.name for p in (show / "public" / "episodes").iterdir())
    with pytest.raises(ConfigError, match="ledger is missing and cannot be rebuilt") as caught:
        build(show, tone_engine, LATER)
    assert "\n" not in str(caught.value)
    assert not (show / LEDGER_NAME).exists()
    assert sorted(p.name for p in (show / "public" / "episodes").iterdir()) == published


def test_a_deleted_ledger_and_build_record_are_rebuilt_from_the_feed_alone(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    for name in ("pacing.txt", "sleep.txt"):
        (episodes / name).write_text(article(name.title()), encoding="utf-8")
    before = identities(build(show, tone_engine))
    (show / LEDGER_NAME).unlink()
    (show / "public" / ".msaudio-build.json").unlink()
    after = build(show, tone_engine, LATER)
    assert not after.failures
    assert identities(after) == before


def test_one_name_written_twice_in_nfc_and_nfd_is_one_episode(
    show: Path, tone_engine: ToneEngine
) -> None:
    episodes = show / "episodes"
    (episodes / "caf\u00e9.txt").write_text(article("Coffee"), encoding="utf-8")
    build(show, tone_engine)
    (episodes / "cafe\u0301.txt").write_text(article("Coffee again"), encoding="utf-8")
    result = build(show, tone_engine, LATER)
    assert [(e.slug, e.title) for e in result.episodes] == [("cafe", "Coffee")]
    (failure,) = result.failures
    assert failure.path == episodes / "cafe\u0301.txt"
    assert "already taken" in str(failure)
