"""Publishing to S3-compatible storage (``--out s3://bucket/show/``), on a loopback server.

The server is moto's; the bucket lets anyone read, as a podcast host's does, and
the tests read the show back over plain HTTP, as a podcast app would.
"""

from __future__ import annotations

import importlib
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import feedparser
import podcastparser
import pytest

from msaudio import storage
from msaudio.build import BuildResult, build_show
from msaudio.config import ShowConfig, load_config, with_overrides
from msaudio.publish import remote
from msaudio.serve import content_type
from tests.helpers import NOW, ToneEngine, run_cli, unhashed
from tests.integration.test_incremental import LONGER


def objects(bucket: str) -> dict[str, bytes]:
    """Every object in ``bucket``, by key."""
    s3 = boto3.client("s3")
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing}


def named(keys: Any, slug: str, suffix: str) -> str:
    """The one key of ``keys`` that is episode ``slug``'s file ending in ``suffix``."""
    (key,) = [k for k in keys if unhashed(k).endswith(f"episodes/{slug}{suffix}")]
    return str(key)


def fetch(url: str) -> tuple[bytes, Any]:
    """GET ``url`` as a podcast app does: the body and the response headers."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


@pytest.fixture
def show(show_dir: Path, s3_endpoint: str, s3_bucket: str) -> ShowConfig:
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    return with_overrides(load_config(show_dir), base_url=f"{s3_endpoint}/{s3_bucket}/show/")


def publish(config: ShowConfig, bucket: str) -> BuildResult:
    result = build_show(config, f"s3://{bucket}/show/", engine=ToneEngine(), now=NOW)
    assert not result.failures
    return result


def test_a_podcast_client_reads_the_show_back_from_s3(show: ShowConfig, s3_bucket: str) -> None:
    result = publish(show, s3_bucket)
    assert result.remote == f"s3://{s3_bucket}/show/"
    assert result.feed_location == f"s3://{s3_bucket}/show/feed.xml"
    assert result.upload is not None and result.upload.uploaded[-1] == "feed.xml"

    feed_url = show.show.base_url + "feed.xml"
    feed, headers = fetch(feed_url)
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    podcast = podcastparser.parse(feed_url, __import__("io").BytesIO(feed))
    assert podcast["title"] == "Test Show" and len(podcast["episodes"]) == 2
    for episode in podcast["episodes"]:
        (enclosure,) = episode["enclosures"]
        audio, audio_headers = fetch(enclosure["url"])
        assert enclosure["file_size"] == int(audio_headers["Content-Length"]) == len(audio)
        assert audio_headers["Content-Type"] == enclosure["mime_type"] == "audio/mpeg"
        assert audio[:3] == b"ID3"
    assert not feedparser.parse(feed).bozo

    stored = objects(s3_bucket)
    mirror = result.out_dir
    assert set(stored) == {
        f"show/{p.relative_to(mirror).as_posix()}"
        for p in mirror.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(mirror).parts)
    }
    assert named(stored, "walking-aids", ".chapters.json").startswith("show/episodes/")
    s3 = boto3.client("s3")
    immutable = 0
    for key, data in stored.items():
        head = s3.head_object(Bucket=s3_bucket, Key=key)
        assert head["ContentType"] == content_type(key.rpartition("/")[2]), key
        if unhashed(key) != key:  # named by its content: a CDN may keep it forever
            immutable += 1
            assert head["CacheControl"] == remote.IMMUTABLE_CACHE, key
        else:  # the feed, the pages: revalidated as the store's default says
            assert "CacheControl" not in head, key
        assert data == (mirror / key.removeprefix("show/")).read_bytes()
    assert immutable == 8  # two episodes' MP3, transcript, chapters and talking book
    book = named(stored, "walking-aids", ".epub")
    assert s3.head_object(Bucket=s3_bucket, Key=book)["ContentType"] == "application/epub+zip"


def test_an_unchanged_rebuild_uploads_nothing_and_lost_objects_come_back(
    show: ShowConfig, s3_bucket: str
) -> None:
    publish(show, s3_bucket)
    again = publish(show, s3_bucket)
    assert again.upload is not None and again.upload.uploaded == again.upload.deleted == []
    vtt = named(objects(s3_bucket), "resting-well", ".vtt")
    boto3.client("s3").delete_object(Bucket=s3_bucket, Key=vtt)
    healed = publish(show, s3_bucket)
    assert healed.upload is not None and healed.upload.uploaded == [vtt.removeprefix("show/")]


class Recording:
    """An fsspec file system that notes each change it is asked for, in order."""

    def __init__(self, fs: Any, calls: list[tuple[str, str]]) -> None:
        self._fs, self._calls = fs, calls

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._fs, name)
        if name not in ("put", "mv", "rm"):
            return method

        def recorded(*args: Any, **kwargs: Any) -> Any:
            targets = args[1] if name in ("put", "mv") else args[0]
            for target in targets if isinstance(targets, list) else [targets]:
                self._calls.append((name, str(target).split("/show/", 1)[1]))
            return method(*args, **kwargs)

        return recorded


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    noted: list[tuple[str, str]] = []
    opened = storage.open_url

    def recording(url: str, what: str) -> tuple[Any, str]:
        fs, root = opened(url, what)
        return Recording(fs, noted), root

    monkeypatch.setattr(remote, "open_url", recording)
    return noted


def test_changes_go_up_before_the_feed_and_removed_episodes_go_after_it(
    show: ShowConfig, s3_bucket: str, calls: list[tuple[str, str]]
) -> None:
    first = publish(show, s3_bucket)
    old = {unhashed(e.audio_path): e.audio_path for e in first.episodes}
    calls.clear()
    article = show.root / "episodes" / "resting-well.md"
    article.write_text(article.read_text("utf-8").replace("warm afternoon", "hot day"), "utf-8")
    (show.root / "episodes" / "walking-aids.md").unlink()
    publish(show, s3_bucket)

    feed = calls.index(("put", "feed.xml"))
    before, after = calls[:feed], calls[feed + 1 :]
    stored = objects(s3_bucket)
    new_mp3 = named(stored, "resting-well", ".mp3").removeprefix("show/")
    assert new_mp3 != old["episodes/resting-well.mp3"]  # a new version, under a new name
    assert ("put", new_mp3) in before  # straight to its name: no feed names it yet
    assert ("put", "episodes/.resting-well.html.msaudio-upload") in before  # a page replaced
    assert ("mv", "episodes/resting-well.html") in before  # into place just before the feed
    removed = {old["episodes/walking-aids.mp3"], old["episodes/resting-well.mp3"]}
    assert removed <= {name for verb, name in after if verb == "rm"}
    assert all(verb == "rm" for verb, _ in after)
    assert not any("walking-aids" in key or "msaudio-upload" in key for key in stored)
    assert b"hot day" in stored[named(stored, "resting-well", ".vtt")]
    feed_text = stored["show/feed.xml"].decode()
    assert "walking-aids" not in feed_text and new_mp3 in feed_text


class Cancelled(KeyboardInterrupt):
    pass


def test_a_cancelled_or_failed_upload_leaves_the_published_show_as_it_was(
    show: ShowConfig,
    s3_bucket: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tone_registered: None,
) -> None:
    publish(show, s3_bucket)
    before = objects(s3_bucket)
    article = show.root / "episodes" / "resting-well.md"
    article.write_text(article.read_text("utf-8").replace("warm afternoon", "hot day"), "utf-8")
    (show.root / "episodes" / "new-one.md").write_text(LONGER.replace("cane", "stick"), "utf-8")
    put = remote.RemoteOutput._put

    def cancel_while_replacing(
        self: Any, files: Any, names: Any, done: Any, staged: Any = False
    ) -> None:
        put(self, files, names, done, staged)
        if staged:  # Ctrl+C once the replacements are up, before they are moved into place
            raise Cancelled

    monkeypatch.setattr(remote.RemoteOutput, "_put", cancel_while_replacing)
    with pytest.raises(Cancelled):
        build_show(show, f"s3://{s3_bucket}/show/", engine=ToneEngine(), now=NOW)
    now_stored = objects(s3_bucket)
    for key, data in before.items():
        assert now_stored[key] == data, key  # the old feed and every file it lists

    def fail(self: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError("connection reset by peer")

    monkeypatch.setattr(remote.RemoteOutput, "_put", fail)
    out = f"s3://{s3_bucket}/show/"
    code, _, err = run_cli(
        capsys,
        "build",
        str(show.root),
        "--engine",
        "tone",
        "--out",
        out,
        "--base-url",
        show.show.base_url,
    )
    assert code == 1
    assert err == (
        f"error: publishing to {out} failed (OSError: connection reset by peer); "
        "the published feed was not changed\n"
    )
    assert objects(s3_bucket)["show/feed.xml"] == before["show/feed.xml"]

    monkeypatch.setattr(remote.RemoteOutput, "_put", put)
    publish(show, s3_bucket)  # the next build publishes and sweeps the hidden leftovers
    stored = objects(s3_bucket)
    assert not any("msaudio-upload" in key for key in stored)
    assert b"hot day" in stored[named(stored, "resting-well", ".vtt")]
    new_one = named(stored, "new-one", ".mp3").removeprefix("show/")
    assert new_one in stored["show/feed.xml"].decode()


def test_publishing_to_another_kind_of_store(show: ShowConfig) -> None:
    """A store that is not an object store (here fsspec's memory): the feed is written
    under a hidden name and moved into place."""
    import fsspec

    url = "memory://podcasts/show-elsewhere/"
    first = build_show(show, url, engine=ToneEngine(), now=NOW)
    assert not first.failures and first.upload is not None
    fs = fsspec.filesystem("memory")
    names = {p.split("/show-elsewhere/")[1] for p in fs.find("/podcasts/show-elsewhere")}
    assert "feed.xml" in names and "episodes/resting-well.mp3" in {unhashed(n) for n in names}
    assert not [n for n in names if n.rpartition("/")[2].startswith(".")]
    published_feed = (first.out_dir / "feed.xml").read_bytes()
    assert fs.cat_file("/podcasts/show-elsewhere/feed.xml") == published_feed

    # Cancelled once the replacements are up: the feed stays, the hidden copies are swept next.
    article = show.root / "episodes" / "resting-well.md"
    article.write_text(article.read_text("utf-8").replace("warm afternoon", "hot day"), "utf-8")
    put = remote.RemoteOutput._put

    def cancel_while_replacing(
        self: Any, files: Any, names: Any, done: Any, staged: Any = False
    ) -> None:
        put(self, files, names, done, staged)
        if staged and "feed.xml" not in names:
            raise Cancelled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(remote.RemoteOutput, "_put", cancel_while_replacing)
        with pytest.raises(Cancelled):
            build_show(show, url, engine=ToneEngine(), now=NOW)
    assert [p for p in fs.find("/podcasts/show-elsewhere") if "/." in p]
    assert fs.cat_file("/podcasts/show-elsewhere/feed.xml") == published_feed
    again = build_show(show, url, engine=ToneEngine(), now=NOW)
    assert not again.failures and again.upload is not None
    assert not [p for p in fs.find("/podcasts/show-elsewhere") if "/." in p]
    vtt = named(fs.find("/podcasts/show-elsewhere"), "resting-well", ".vtt")
    assert b"hot day" in fs.cat_file(vtt)


def test_output_url_problems_are_one_line(
    show_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    s3_bucket: str,
    tone_registered: None,
) -> None:
    show = str(show_dir)
    code, out, err = run_cli(
        capsys, "build", show, "--engine", "tone", "--out", "s3://no-such-bucket/x/"
    )
    assert (code, out) == (2, "")
    assert err.endswith(
        "error: --out s3://no-such-bucket/x/: no such bucket 'no-such-bucket'; create it first\n"
    )
    registry = importlib.import_module("fsspec.registry")
    monkeypatch.setitem(sys.modules, "s3fs", None)
    for protocol in ("s3", "s3a"):
        monkeypatch.delitem(registry._registry, protocol, raising=False)
    code, out, err = run_cli(
        capsys, "build", show, "--out", f"s3://{s3_bucket}/x/", "--base-url", "https://example.org/"
    )
    assert (code, out) == (2, "")
    assert err == f"error: --out s3://{s3_bucket}/x/: needs s3fs; install msaudio[cluster]\n"
    assert not (show_dir / ".msaudio-out").exists()


def test_an_output_that_is_a_file_is_one_line(
    show_dir: Path, capsys: pytest.CaptureFixture[str], tone_registered: None
) -> None:
    (show_dir / "taken").write_text("not a folder", encoding="utf-8")
    args = ["build", str(show_dir), "--engine", "tone", "--out", str(show_dir / "taken")]
    code, out, err = run_cli(capsys, *args)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {show_dir / 'taken'}: cannot be the output folder (File exists); "
        "expected a folder or a URL\n"
    )
