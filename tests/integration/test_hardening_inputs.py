"""What a hostile tester broke (issue 21): links, front matter, output folders, config, names.

Where each numbered finding of issue 21 is tested:

1. symlinks out of the show, dangling links, loops, folders: here (``test_a_link_out_of_…``,
   ``test_dangling_links_loops_and_folders_…``);
2. a tampered build record: ``test_publishing.py`` (``test_a_tampered_build_record_…``);
3. a newcomer taking a published identity, non-ASCII names: ``test_identity.py``;
4. a YAML alias bomb: here (``test_a_yaml_alias_bomb_…``, ``test_huge_front_matter_…``);
5. publishing not atomic: ``test_publishing.py`` (``test_a_kill_at_any_rename_…``);
6. full disks: ``test_publishing.py`` (``test_a_cache_that_cannot_be_written_…``,
   ``test_a_full_output_disk_…``, ``test_a_really_full_disk_…``);
7. ``--out episodes``: here (``test_an_output_folder_over_the_sources_is_refused``);
8. a deleted ledger: ``test_identity.py`` (``test_a_deleted_ledger_…``);
9. the server: ``test_serve.py`` (from ``test_a_garbage_request_line_…`` on);
10. base_url and language: here; a newline in a file name: here; a missing episode page:
    ``test_check.py`` (``deleted_page``); ``javascript:`` links in text: ``test_cleanup.py``
    (``test_page_working_links_in_plain_text``); bidirectional overrides: here; a huge cover:
    ``test_cover.py`` (``test_huge_cover_…``, ``test_heavy_cover_…``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from msaudio.build import build_show
from msaudio.config import config_from_dict, load_config, validate
from msaudio.errors import ArticleError, ConfigError
from msaudio.sources import read_article
from msaudio.sources.common import clean_text
from tests.helpers import NOW, SHOW_TOML, ToneEngine, run_cli

SECRET = "Hush this line belongs to nobody in the show"


def _build(root: Path) -> object:
    return build_show(load_config(root), root / "public", engine=ToneEngine(), now=NOW)


def test_a_link_out_of_the_show_is_refused_and_the_rest_publish(
    show_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "private.txt"
    outside.write_text(f"Private\n\n{SECRET}.\n", encoding="utf-8")
    (show_dir / "episodes" / "x.txt").symlink_to(outside)
    result = _build(show_dir)
    assert [e.slug for e in result.episodes] == ["resting-well"]  # type: ignore[attr-defined]
    (failure,) = result.failures  # type: ignore[attr-defined]
    assert "x.txt" in str(failure) and "outside the show folder" in str(failure)
    assert "\n" not in str(failure)
    published = b"".join(p.read_bytes() for p in (show_dir / "public").rglob("*") if p.is_file())
    assert SECRET.encode() not in published


def test_a_link_out_of_the_show_can_be_allowed(show_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "shared.txt"
    outside.write_text(f"Shared\n\n{SECRET}.\n", encoding="utf-8")
    (show_dir / "episodes" / "shared.txt").symlink_to(outside)
    with (show_dir / "podcast.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[build]\nfollow_links_outside = true\n")
    result = _build(show_dir)
    assert not result.failures  # type: ignore[attr-defined]
    assert {e.slug for e in result.episodes} == {"resting-well", "shared"}  # type: ignore[attr-defined]


def test_a_link_inside_the_show_is_an_article(show_dir: Path) -> None:
    (show_dir / "drafts").mkdir()
    (show_dir / "drafts" / "kept.txt").write_text(f"Kept\n\n{SECRET}.\n", encoding="utf-8")
    (show_dir / "episodes" / "kept.txt").symlink_to(show_dir / "drafts" / "kept.txt")
    result = _build(show_dir)
    assert not result.failures  # type: ignore[attr-defined]
    assert "kept" in {e.slug for e in result.episodes}  # type: ignore[attr-defined]


def test_dangling_links_loops_and_folders_each_get_one_warning(show_dir: Path) -> None:
    episodes = show_dir / "episodes"
    (episodes / "gone.txt").symlink_to(show_dir / "nowhere.txt")
    (episodes / "loop.md").symlink_to(episodes / "loop.md")
    (episodes / "folder.md").mkdir()
    result = _build(show_dir)
    warnings = sorted(str(w) for w in result.warnings)  # type: ignore[attr-defined]
    assert len(warnings) == 3
    assert "folder.md" in warnings[0] and "folder" in warnings[0]
    assert "gone.txt" in warnings[1] and "link to nothing" in warnings[1]
    assert "loop.md" in warnings[2] and "loop" in warnings[2]
    assert [e.slug for e in result.episodes] == ["resting-well"]  # type: ignore[attr-defined]


BOMB = """\
---
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
---

Body text.
"""


def test_a_yaml_alias_bomb_is_one_articles_error(show_dir: Path) -> None:
    (show_dir / "episodes" / "bomb.md").write_text(BOMB, encoding="utf-8")
    result = _build(show_dir)
    (failure,) = result.failures  # type: ignore[attr-defined]
    assert "bomb.md" in str(failure) and "aliases" in str(failure)
    assert [e.slug for e in result.episodes] == ["resting-well"]  # type: ignore[attr-defined]


def test_huge_front_matter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("---\nsummary: " + "word " * 20_000 + "\n---\n\nBody.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="front matter is"):
        read_article(path)


@pytest.mark.parametrize("inside", ["episodes", ".", "episodes/public", ".."])
def test_an_output_folder_over_the_sources_is_refused(
    show_dir: Path, capsys: pytest.CaptureFixture[str], inside: str
) -> None:
    out = os.path.normpath(show_dir / inside)
    code, _, err = run_cli(capsys, "build", str(show_dir), "--out", out, "--engine", "espeak")
    assert code == 2
    assert err.count("\n") == 1 and "overlaps the show's sources" in err
    assert not (show_dir / "episodes" / "feed.xml").exists()


def _show(**keys: str) -> dict[str, dict[str, object]]:
    show: dict[str, object] = {"title": "T", "description": "D", "author": "A", **keys}
    return {"show": show}


@pytest.mark.parametrize(
    "url",
    [
        "https://host.example/my podcast/",
        'https://host.example/"quoted"/',
        "https://host.example/show/#top",
        "https://host.example:port/",
        "ftp://host.example/",
    ],
)
def test_a_base_url_that_cannot_be_published_is_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match=r"podcast\.toml: key 'show\.base_url'"):
        validate(_show(base_url=url), tmp_path / "podcast.toml")


@pytest.mark.parametrize("language", ["xx-yy-zz", "en-a", "en_US", "e", "en-", "en-us-"])
def test_a_language_that_is_no_bcp47_tag_is_refused(tmp_path: Path, language: str) -> None:
    with pytest.raises(ConfigError, match=r"podcast\.toml: key 'show\.language'"):
        validate(_show(language=language), tmp_path / "podcast.toml")


@pytest.mark.parametrize("language", ["en-us", "en", "zh-Hant-TW", "pt-BR", "sr-Latn", "es-419"])
def test_bcp47_tags_are_accepted(tmp_path: Path, language: str) -> None:
    data = validate(_show(language=language), tmp_path / "podcast.toml")
    assert config_from_dict(data, tmp_path).show.language == language


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    error = ArticleError("file is empty", tmp_path / "two\nlines.txt")
    assert "\n" not in str(error)
    assert "two\\nlines.txt" in str(error)
    plain = ArticleError("file is empty", tmp_path / "plain.txt")
    assert str(plain) == f"{tmp_path / 'plain.txt'}: file is empty"


def test_bidirectional_overrides_are_stripped_from_text() -> None:
    text = "Cool \u202edrinks\u202c and \u2067rest\u2069 help \u202aa lot"
    assert clean_text(text) == "Cool drinks and rest help a lot"


def test_the_show_toml_fixture_still_validates(tmp_path: Path) -> None:
    assert SHOW_TOML  # the shared show uses an https base_url the stricter check accepts
    (tmp_path / "episodes").mkdir()
    (tmp_path / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    assert load_config(tmp_path).show.base_url == "https://podcasts.example.org/ms/"
