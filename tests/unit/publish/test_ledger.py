"""The ledger keeps every episode's GUID and first publication time for good."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

from msaudio.errors import ArticleError, ConfigError
from msaudio.publish.ledger import LEDGER_NAME, Ledger

NOW = dt.datetime(2024, 6, 10, 8, 15, 42, 123456, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=30)


def fresh(tmp_path: Path) -> Ledger:
    return Ledger.load(tmp_path / LEDGER_NAME)


def test_missing_file_is_an_empty_ledger(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    assert dict(ledger.entries) == {}
    assert not (tmp_path / LEDGER_NAME).exists()


def test_new_slug_with_a_past_date_is_published_at_noon_utc(tmp_path: Path) -> None:
    guid, published = fresh(tmp_path).identity(
        "heat", guid_override=None, date=dt.date(2024, 5, 1), now=NOW
    )
    assert uuid.UUID(guid).version == 4
    assert published == dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("date", [None, dt.date(2024, 7, 1), dt.date(2024, 6, 10)])
def test_new_slug_without_a_usable_date_is_published_now(
    tmp_path: Path, date: dt.date | None
) -> None:
    # Noon on 10 June is still ahead of NOW (08:15), so it counts as the future.
    _, published = fresh(tmp_path).identity("heat", guid_override=None, date=date, now=NOW)
    assert published == NOW.replace(microsecond=0)


def test_now_in_another_zone_is_stored_in_utc(tmp_path: Path) -> None:
    local = dt.datetime(2024, 6, 10, 10, 0, 0, 999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    _, published = fresh(tmp_path).identity("a", guid_override=None, date=None, now=local)
    assert published == dt.datetime(2024, 6, 10, 8, 0, tzinfo=dt.UTC)
    assert published.tzinfo == dt.UTC


def test_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        fresh(tmp_path).identity("a", guid_override=None, date=None, now=dt.datetime(2024, 1, 1))


def test_identity_is_stable_across_reload(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    first = ledger.identity("heat", guid_override=None, date=None, now=NOW)
    assert ledger.identity("heat", guid_override=None, date=None, now=LATER) == first
    assert ledger.save() is True
    again = Ledger.load(tmp_path / LEDGER_NAME)
    assert again.identity("heat", guid_override=None, date=dt.date(2020, 1, 1), now=LATER) == first


def test_file_format(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    b_guid, _ = ledger.identity("b-slug", guid_override=None, date=dt.date(2024, 5, 1), now=NOW)
    a_guid, _ = ledger.identity("a-slug", guid_override="urn:x:1", date=None, now=NOW)
    ledger.save()
    text = (tmp_path / LEDGER_NAME).read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"
    assert json.loads(text) == {
        "a-slug": {"guid": "urn:x:1", "number": 2, "published": "2024-06-10T08:15:42Z"},
        "b-slug": {"guid": b_guid, "number": 1, "published": "2024-05-01T12:00:00Z"},
    }
    assert a_guid == "urn:x:1"


def test_save_writes_only_when_changed(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    ledger.identity("heat", guid_override=None, date=None, now=NOW)
    assert ledger.save() is True
    path = tmp_path / LEDGER_NAME
    before = path.stat()
    reloaded = Ledger.load(path)
    reloaded.identity("heat", guid_override=None, date=None, now=LATER)
    assert reloaded.save() is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) == [LEDGER_NAME]


def test_empty_ledger_is_not_written(tmp_path: Path) -> None:
    assert fresh(tmp_path).save() is False
    assert not (tmp_path / LEDGER_NAME).exists()


def test_front_matter_guid_wins_and_is_recorded(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    old_guid, published = ledger.identity("heat", guid_override=None, date=None, now=NOW)
    guid, when = ledger.identity("heat", guid_override="tag:clinic,2024:heat", date=None, now=LATER)
    assert (guid, when) == ("tag:clinic,2024:heat", published)
    assert guid != old_guid
    ledger.save()
    again = Ledger.load(tmp_path)  # a show folder works too
    assert again.identity("heat", guid_override=None, date=None, now=LATER) == (guid, published)


def test_front_matter_guid_of_another_episode_is_refused(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    taken, _ = ledger.identity("heat", guid_override=None, date=None, now=NOW)
    with pytest.raises(ArticleError, match="'heat'"):
        ledger.identity("cold", guid_override=taken, date=None, now=NOW)
    assert "cold" not in ledger.entries


def test_removed_articles_keep_their_entries(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    gone, _ = ledger.identity("withdrawn", guid_override=None, date=None, now=NOW)
    ledger.save()
    # Next build: the article is gone, so only other slugs are asked about.
    next_build = Ledger.load(tmp_path / LEDGER_NAME)
    next_build.identity("new-one", guid_override=None, date=None, now=LATER)
    next_build.save()
    final = json.loads((tmp_path / LEDGER_NAME).read_text())
    assert final["withdrawn"]["guid"] == gone
    assert set(final) == {"withdrawn", "new-one"}


def test_guids_are_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = fresh(tmp_path)
    existing, _ = ledger.identity("withdrawn", guid_override=None, date=None, now=NOW)
    replies = iter([uuid.UUID(existing), uuid.UUID("12345678-1234-4234-8234-123456789abc")])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(replies))
    guid, _ = ledger.identity("fresh", guid_override=None, date=None, now=NOW)
    assert guid == "12345678-1234-4234-8234-123456789abc"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not readable JSON"),
        ("[]", "JSON object"),
        ('{"a": "b"}', "'a' must be an object"),
        ('{"a": {"published": "2024-01-01T12:00:00Z"}}', "'a' has no guid"),
        ('{"a": {"guid": "g"}}', "'a' has no published time"),
        ('{"a": {"guid": "g", "published": "last Tuesday"}}', "not ISO 8601"),
    ],
)
def test_corrupt_file_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / LEDGER_NAME
    path.write_text(content)
    with pytest.raises(ConfigError, match=message) as info:
        Ledger.load(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


def test_hand_edited_times_are_understood(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_NAME
    path.write_text(
        json.dumps(
            {
                "a": {"guid": "g-a", "published": "2024-03-01T09:00:00+01:00"},
                "b": {"guid": "g-b", "published": "2024-03-02T09:00:00"},
            }
        )
    )
    ledger = Ledger.load(path)
    assert ledger.entries["a"].published == dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert ledger.entries["b"].published == dt.datetime(2024, 3, 2, 9, 0, tzinfo=dt.UTC)
    ledger.save()
    assert json.loads(path.read_text())["a"]["published"] == "2024-03-01T08:00:00Z"


def test_numbers_count_up_in_recording_order_and_never_move(tmp_path: Path) -> None:
    ledger = fresh(tmp_path)
    for slug in ("late", "early", "middle"):
        ledger.identity(slug, guid_override=None, date=None, now=NOW)
    assert [ledger.number(s) for s in ("late", "early", "middle")] == [1, 2, 3]
    ledger.save()
    again = Ledger.load(tmp_path / LEDGER_NAME)
    again.identity("newest", guid_override=None, date=dt.date(2000, 1, 1), now=LATER)
    assert again.number("newest") == 4  # a backdated article still gets the next number
    assert again.number("early") == 2
    assert again.number("unknown") is None


def test_ledgers_without_numbers_are_numbered_by_publication(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_NAME
    path.write_text(
        json.dumps(
            {
                "b": {"guid": "g-b", "published": "2024-06-01T12:00:00Z"},
                "a": {"guid": "g-a", "published": "2024-05-01T12:00:00Z"},
                "c": {"guid": "g-c", "number": 7, "published": "2024-01-01T12:00:00Z"},
            }
        ),
        encoding="utf-8",
    )
    ledger = Ledger.load(path)
    assert [ledger.number(s) for s in ("a", "b", "c")] == [8, 9, 7]


@pytest.mark.parametrize("number", [-1, "3", 1.5, True])
def test_bad_numbers_are_config_errors(tmp_path: Path, number: object) -> None:
    path = tmp_path / LEDGER_NAME
    path.write_text(
        json.dumps({"a": {"guid": "g", "number": number, "published": "2024-05-01T12:00:00Z"}}),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="number"):
        Ledger.load(path)


def test_duplicate_numbers_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_NAME
    entry = {"guid": "g", "number": 1, "published": "2024-05-01T12:00:00Z"}
    path.write_text(json.dumps({"a": entry, "b": {**entry, "guid": "h"}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="same episode number"):
        Ledger.load(path)


def test_sources_are_recorded_and_read_back(tmp_path: Path) -> None:
    """Issue 21 finding 3: each entry names the file it belongs to."""
    ledger = Ledger(tmp_path / LEDGER_NAME)
    ledger.identity("b-c", guid_override=None, date=None, now=NOW, source="b c.txt")
    ledger.save()
    again = Ledger.load(tmp_path)
    assert again.owners() == {"b c.txt": "b-c"}
    assert json.loads((tmp_path / LEDGER_NAME).read_text())["b-c"]["source"] == "b c.txt"


@pytest.mark.parametrize("source", [5, "", "../x.txt"])
def test_bad_sources_are_config_errors(tmp_path: Path, source: object) -> None:
    entry = {"guid": "g", "published": "2026-01-01T12:00:00Z", "source": source}
    (tmp_path / LEDGER_NAME).write_text(json.dumps({"a": entry}))
    with pytest.raises(ConfigError, match="source"):
        Ledger.load(tmp_path)


def test_one_source_for_two_episodes_is_a_config_error(tmp_path: Path) -> None:
    entries = {
        slug: {"guid": slug, "published": "2026-01-01T12:00:00Z", "source": "a.txt"}
        for slug in ("a", "b")
    }
    (tmp_path / LEDGER_NAME).write_text(json.dumps(entries))
    with pytest.raises(ConfigError, match="same source file"):
        Ledger.load(tmp_path)
