"""Whole builds spoken by the real espeak-ng: a Word handout and an e-mail newsletter, a PDF
leaflet, fetched articles, and one engine per worker thread.

They are the builds of the format, fetch and worker tests that need the program, kept here
so that ``pytest -m "not e2e"`` needs no more than the virtualenv.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from msaudio.build import build_show
from msaudio.config import load_config
from tests.audio_checks import check_episode
from tests.helpers import NOW, episode_file, require_program, run_cli
from tests.integration.test_fetch import (
    RSS,
    Site,
    fetch,
    quick_client,
    show,
    site,
    third_item,
    two_item_feed,
)
from tests.integration.test_incremental import LONGER, published
from tests.pdf_maker import Leaflet
from tests.unit.sources.test_eml import (
    HEADING,
    SUBJECT,
    message,
    newsletter_html,
    plain_alternative,
)
from tests.unit.sources.test_pdf import leaflet_pdf

__all__ = ["leaflet_pdf", "quick_client", "show", "site"]  # the fixtures, shared with their tests


def test_a_build_publishes_a_word_handout_and_a_newsletter(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_program("espeak-ng")
    from tests.unit.sources.test_docx import HEADING_1, HEADING_2, TITLE, handout

    (show_dir / "episodes" / "resting-well.md").unlink()
    (show_dir / "episodes" / "heat-handout.docx").write_bytes(handout())
    newsletter = message(html=newsletter_html(), text=plain_alternative())
    (show_dir / "episodes" / "cooling-vests.eml").write_bytes(newsletter)
    code, out, err = run_cli(capsys, "build", str(show_dir), "--engine", "espeak")
    assert code == 0, err
    assert "published 2 episodes" in out
    handout_audio = check_episode(show_dir / "public", "heat-handout")
    chapters = [title for title, _ in handout_audio["chapters"]]  # type: ignore[attr-defined]
    assert chapters == [TITLE, HEADING_1, HEADING_2, "Notes"]
    mail_audio = check_episode(show_dir / "public", "cooling-vests")
    chapters = [title for title, _ in mail_audio["chapters"]]  # type: ignore[attr-defined]
    assert chapters == [SUBJECT, HEADING]
    feed = feedparser.parse((show_dir / "public" / "feed.xml").read_bytes())
    assert {entry["title"] for entry in feed.entries} == {TITLE, SUBJECT}
    transcript = episode_file(show_dir / "public", "cooling-vests", ".vtt").read_text("utf-8")
    assert "This article comes from Lakeside MS Circle." in transcript
    assert "nsubscribe" not in transcript and "browser" not in transcript


def test_a_build_publishes_a_pdf_leaflet(
    show_dir: Path, leaflet_pdf: tuple[Path, Leaflet], capsys: pytest.CaptureFixture[str]
) -> None:
    require_program("espeak-ng")
    (show_dir / "episodes" / "fatigue-leaflet.pdf").write_bytes(leaflet_pdf[0].read_bytes())
    code, out, err = run_cli(capsys, "build", str(show_dir), "--engine", "espeak")
    assert code == 0, err
    assert "published 2 episodes" in out
    episodes = show_dir / "public" / "episodes"
    assert [p.name for p in episodes.glob("fatigue-leaflet*.mp3")]
    transcript = next(episodes.glob("fatigue-leaflet*.vtt")).read_text(encoding="utf-8")
    assert "Pacing your energy" in transcript and "Page 2 of 3" not in transcript


def test_fetched_articles_build_into_episodes_dated_as_the_feed(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    require_program("espeak-ng")
    feed = site.url("/feed.xml")
    two_item_feed(site)
    assert fetch(capsys, show, feed)[0] == 0
    site.serve(
        "/feed.xml", two_item_feed(site).replace("</channel>", third_item() + "</channel>"), RSS
    )
    assert fetch(capsys, show, feed)[1].endswith("1 new article\n")
    site.stop()  # build is offline
    code, out, err = run_cli(capsys, "build", str(show), "--engine", "espeak")
    assert code == 0, err
    assert "published 3 episodes" in out
    parsed = feedparser.parse((show / "public" / "feed.xml").read_bytes())
    dates = {e.title: dt.date(*e.published_parsed[:3]) for e in parsed.entries}
    assert dates == {
        "Pacing on a busy week": dt.date(2025, 3, 3),
        "Cooling vests, tried and tested": dt.date(2025, 3, 10),
        "Talking to your employer": dt.date(2025, 3, 17),
    }
    assert {e.published_parsed[3] for e in parsed.entries} == {12}  # noon UTC


def test_espeak_workers_each_with_their_own_engine_match_a_serial_build(
    show_dir: Path, tmp_path: Path
) -> None:
    """A real deterministic engine, created once per worker from its entry point."""
    require_program("espeak-ng")
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    config = load_config(show_dir)
    from msaudio.config import with_overrides

    config = with_overrides(config, engine="espeak")
    build_show(config, tmp_path / "serial", now=NOW, jobs=1, cache=False)
    build_show(config, tmp_path / "parallel", now=NOW, jobs=2, cache=False)
    assert published(tmp_path / "serial") == published(tmp_path / "parallel")
