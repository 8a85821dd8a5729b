"""End to end: gPodder's command-line client subscribes to a served show and downloads it.

A show of two articles is built with the tone engine, served by ``msaudio
serve``'s server on a free loopback port, and fetched by ``gpo`` with its own
throw-away home: every episode must arrive byte for byte, under its title.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import subprocess
import threading
from pathlib import Path

from msaudio.build import build_show
from msaudio.config import load_config, with_overrides
from msaudio.serve import make_server
from tests.helpers import ARTICLE_MD, NOW, SHOW_TOML, ToneEngine, require_program
from tests.integration.test_check import SECOND_ARTICLE

TITLES = ("Resting well", "Cooling down")
GPO_TIMEOUT = 60


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_gpo_subscribes_and_downloads_every_episode_intact(tmp_path: Path) -> None:
    gpo = require_program("gpo")
    root = tmp_path / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    (root / "episodes" / "resting-well.md").write_text(ARTICLE_MD, encoding="utf-8")
    (root / "episodes" / "cooling-down.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    out = root / "public"
    out.mkdir()
    # The server needs a feed to start and the feed needs the server's port:
    # start on a placeholder, then build over it (files are read per request).
    (out / "feed.xml").write_text("", encoding="utf-8")
    requests: list[str] = []
    server = make_server(out, "127.0.0.1", 0, log=requests.append)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        config = with_overrides(load_config(root), base_url=base)
        result = build_show(config, out, engine=ToneEngine(), now=NOW)
        assert not result.failures
        built = {episode.title: out / episode.audio_path for episode in result.episodes}
        assert set(built) == set(TITLES)

        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp_path / "home"),
            "LANG": "C.UTF-8",
            "GPODDER_HOME": str(tmp_path / "gpohome"),
            "GPODDER_DOWNLOAD_DIR": str(tmp_path / "downloads"),
            "GPODDER_DISABLE_EXTENSIONS": "yes",
            "no_proxy": "*",
        }

        def run_gpo(*args: str) -> str:
            done = subprocess.run(
                [gpo, *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=GPO_TIMEOUT,
                check=False,
            )
            assert done.returncode == 0, f"gpo {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
            return done.stdout

        feed_url = base + "feed.xml"
        assert f"Successfully added {feed_url}" in run_gpo("subscribe", feed_url)
        assert "2 new episodes" in run_gpo("update")
        pending = run_gpo("pending")
        assert all(title in pending for title in TITLES), pending
        assert "2 episodes downloaded." in run_gpo("download")
        listing = run_gpo("episodes")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    # gPodder saw each title and marks each episode downloaded (▉).
    marked = [line for line in listing.splitlines() if "▉" in line]
    assert sorted(line.split("▉", 1)[1].strip() for line in marked) == sorted(TITLES), listing

    # Every episode arrived, byte for byte, from this server.
    downloads = sorted((tmp_path / "downloads").rglob("*.mp3"))
    assert len(downloads) == len(TITLES), downloads
    assert sorted(sha256(path) for path in downloads) == sorted(
        sha256(path) for path in built.values()
    )
    assert {path.parent.name for path in downloads} == {"Test Show"}
    for path in built.values():
        assert f"GET /{path.relative_to(out).as_posix()} 200" in requests
