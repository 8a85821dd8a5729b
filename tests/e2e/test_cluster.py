"""Builds whose sentences are synthesized on a Dask cluster (``--scheduler``).

One 2-worker ``LocalCluster`` (worker processes, as a real cluster has) is
started for the module; builds connect to it by address, as ``msaudio build
--scheduler tcp://...`` does. Test engines reach its workers the way an
embedding program's would: registered here, shipped by the worker plugin.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster, get_worker

from msaudio.build import Progress, build_show
from msaudio.config import BuildSettings, ShowConfig, load_config, with_overrides
from msaudio.engines import base
from msaudio.engines.base import Samples
from msaudio.errors import EngineError
from tests.helpers import NOW, ToneEngine, require_program, run_cli, unhashed
from tests.integration.test_incremental import LONGER, published


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    """Two worker processes of one thread each, on loopback, for the whole module."""
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as local,
        Client(local, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def scheduler_address(client: Client) -> str:
    """The address of the scheduler ``client`` is connected to."""
    assert client.scheduler is not None
    address = client.scheduler.address
    assert isinstance(address, str)
    return address


def on(config: ShowConfig, client: Client) -> ShowConfig:
    """``config`` with its sentences synthesized by the module's cluster."""
    return replace(config, build=BuildSettings(scheduler=scheduler_address(client)))


def spoken_per_worker(client: Client) -> dict[str, int]:
    """Sentences each worker's msaudio plugin synthesized since it was (re)registered."""

    def count(dask_worker: Any) -> int:
        plugin = dask_worker.plugins.get("msaudio-engines")
        return int(getattr(plugin, "spoken", 0))

    return dict(client.run(count))


@pytest.fixture
def espeak_show(show_dir: Path) -> ShowConfig:
    require_program("espeak-ng")
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    return with_overrides(load_config(show_dir), engine="espeak")


def test_a_cluster_build_is_byte_identical_to_a_local_build(
    espeak_show: ShowConfig, cluster: Client, tmp_path: Path
) -> None:
    """MP3s, transcripts, chapters, pages and the feed: the same bytes, whoever spoke."""
    local = build_show(espeak_show, tmp_path / "local", now=NOW, jobs=2, cache=False)
    remote = build_show(on(espeak_show, cluster), tmp_path / "cluster", now=NOW, cache=False)
    assert not local.failures and not remote.failures
    assert remote.synthesized == local.synthesized > 10 and remote.cached == 0
    counts = spoken_per_worker(cluster)
    assert sum(counts.values()) == remote.synthesized
    assert len(counts) == 2 and all(counts.values()), counts  # both workers spoke
    ours, theirs = published(tmp_path / "local"), published(tmp_path / "cluster")
    assert ours.keys() == theirs.keys()
    names = {unhashed(name) for name in ours}
    assert {"episodes/walking-aids.mp3", "episodes/walking-aids.vtt"} <= names
    assert {"episodes/resting-well.chapters.json", "feed.xml"} <= names
    assert ours == theirs


def test_the_cli_starts_a_local_cluster_of_jobs_workers(
    espeak_show: ShowConfig,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show, local, remote = str(espeak_show.root), tmp_path / "local", tmp_path / "cluster"
    code, out, err = run_cli(capsys, "build", show, "--engine", "espeak", "--out", str(local))
    assert (code, err) == (0, "")
    monkeypatch.setenv("MSAUDIO_CACHE_DIR", str(tmp_path / "cold"))
    args = ["--engine", "espeak", "--scheduler", "local", "-j", "2", "-v"]
    code, out, err = run_cli(capsys, "build", show, *args, "--out", str(remote))
    assert (code, err) == (0, "")
    assert "published 2 episodes" in out
    assert int(out.partition("sentences: ")[2].split()[0]) > 10  # synthesized on the cluster
    assert published(local) == published(remote)


def test_podcast_toml_can_name_the_scheduler(show_dir: Path, cluster: Client) -> None:
    with (show_dir / "podcast.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[build]\nscheduler = "{scheduler_address(cluster)}"\n')
    config = load_config(show_dir)
    assert config.build.scheduler == scheduler_address(cluster)
    base.register("tone", ToneEngine)
    try:
        result = build_show(with_overrides(config, engine="tone"), show_dir / "public", now=NOW)
    finally:
        base._registered.pop("tone", None)
    assert not result.failures and result.synthesized > 5
    assert sum(spoken_per_worker(cluster).values()) == result.synthesized


class FailingEngine(ToneEngine):
    """Fails on one sentence as a buggy engine would (not with an msaudio error)."""

    name = "failing"

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        if "cool drink" in text:
            raise RuntimeError("the model ran out of memory")
        yield from super().synthesize(text, voice, speed)


@pytest.fixture
def failing_show(show_dir: Path) -> Iterator[ShowConfig]:
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    base.register("failing", FailingEngine)
    yield with_overrides(load_config(show_dir), engine="failing")
    base._registered.pop("failing", None)


def test_a_failing_sentence_gives_the_same_one_line_error_as_a_local_build(
    failing_show: ShowConfig, cluster: Client, tmp_path: Path
) -> None:
    local = build_show(failing_show, tmp_path / "local", now=NOW, jobs=2, cache=False)
    remote = build_show(on(failing_show, cluster), tmp_path / "cluster", now=NOW, cache=False)
    assert remote.built == local.built == ["walking-aids"]  # the other episode still publishes
    assert [str(e) for e in remote.failures] == [str(e) for e in local.failures]
    (failure,) = remote.failures
    assert isinstance(failure, EngineError) and failure.path is not None
    assert str(failure) == (
        f"{failure.path}: failing failed on 'A cool drink helps on a warm afternoon.': "
        "the model ran out of memory"
    )
    assert "\n" not in str(failure)


class DyingEngine(ToneEngine):
    """Kills the worker process the first time it is asked for one sentence (a lost
    machine, an out-of-memory kill); ``marker`` remembers that it happened."""

    name = "dying"

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        if text.startswith("Plan the hardest task") and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)
        yield from super().synthesize(text, voice, speed)


def test_a_worker_lost_mid_build_is_retried_by_the_scheduler(
    show_dir: Path, cluster: Client, tmp_path: Path
) -> None:
    marker = tmp_path / "died"
    base.register("dying", lambda: DyingEngine(str(marker)))
    try:
        config = with_overrides(load_config(show_dir), engine="dying")
        remote = build_show(on(config, cluster), tmp_path / "cluster", now=NOW, cache=False)
        build_show(config, tmp_path / "local", now=NOW, jobs=1, cache=False)
    finally:
        base._registered.pop("dying", None)
    assert marker.exists()  # a worker did die
    assert not remote.failures and remote.built == ["resting-well"]
    assert published(tmp_path / "cluster") == published(tmp_path / "local")
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted it for the next tests


class SkewedEngine(ToneEngine):
    """Reports another version on the workers than here, as an engine upgraded on only
    some machines would: its audio must not be cached under this machine's version."""

    name = "skewed"

    def __init__(self) -> None:
        super().__init__()
        try:
            get_worker()
            self.version = "2"
        except ValueError:  # not in a task: the build's own process
            self.version = "1"


def test_an_engine_of_another_version_on_the_workers_is_refused_once(
    show_dir: Path, cluster: Client, tmp_path: Path
) -> None:
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    base.register("skewed", SkewedEngine)
    try:
        config = with_overrides(load_config(show_dir), engine="skewed")
        result = build_show(on(config, cluster), tmp_path / "out", now=NOW)
    finally:
        base._registered.pop("skewed", None)
    assert result.built == []
    assert [str(e) for e in result.failures] == [
        "skewed is version 2 on the Dask workers but 1 here; "
        "install the same msaudio and engines on the workers and here"
    ]
    assert result.synthesized == 0


class CancelAfter:
    """A progress that presses Ctrl+C after ``count`` sentences."""

    def __init__(self, count: int) -> None:
        self.left = count

    def start(self, episodes: Any) -> None:
        pass

    def sentence(self) -> None:
        self.left -= 1
        if self.left == 0:
            raise KeyboardInterrupt

    def episode_done(self) -> None:
        pass


def test_cancelling_a_cluster_build_leaves_the_published_show_as_it_was(
    espeak_show: ShowConfig, cluster: Client
) -> None:
    config, out = on(espeak_show, cluster), espeak_show.root / "public"
    build_show(config, out, now=NOW)
    before = published(out)
    for article in (espeak_show.root / "episodes").iterdir():
        article.write_text(article.read_text(encoding="utf-8").replace(".", "!"), "utf-8")
    cancel: Progress = CancelAfter(4)
    with pytest.raises(KeyboardInterrupt):
        build_show(config, out, now=NOW, progress=cancel)
    assert published(out) == before
    result = build_show(config, out, now=NOW)  # the next build finishes the job
    assert not result.failures and sorted(result.built) == ["resting-well", "walking-aids"]
    assert published(out) != before
    assert not [p for p in out.rglob(".*") if p.name != ".msaudio-build.json"]


def test_an_unreachable_scheduler_is_one_line(
    show_dir: Path, capsys: pytest.CaptureFixture[str], tone_registered: None
) -> None:
    import dask.config

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, out, err = run_cli(
            capsys, "build", str(show_dir), "--engine", "tone", "--scheduler", "tcp://127.0.0.1:9"
        )
    assert code == 2 and out == ""
    assert err.startswith(
        "error: --scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    )
    assert err.count("\n") == 1 and not (show_dir / "public" / "feed.xml").exists()


def test_a_scheduler_without_workers_is_one_line(show_dir: Path, tone_registered: None) -> None:
    import dask.config

    from msaudio.errors import ConfigError

    config = with_overrides(load_config(show_dir), engine="tone")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
        ) as empty,
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(ConfigError) as raised,
    ):
        build_show(with_overrides(config, scheduler=empty.scheduler_address), show_dir / "out")
    assert str(raised.value) == (
        f"--scheduler: the Dask scheduler at {empty.scheduler_address} has no workers; "
        f"start some with 'dask worker {empty.scheduler_address}'"
    )
    assert not (show_dir / "out" / "feed.xml").exists()


def test_a_scheduler_without_dask_installed_is_one_line(
    show_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "msaudio.cluster", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    code, out, err = run_cli(capsys, "build", str(show_dir), "--scheduler", "local")
    assert (code, out) == (2, "")
    assert err == "error: --scheduler needs dask; install msaudio[cluster]\n"


def test_a_rebuild_with_nothing_to_say_does_not_start_a_cluster(
    show_dir: Path, monkeypatch: pytest.MonkeyPatch, tone_registered: None
) -> None:
    config = with_overrides(load_config(show_dir), engine="tone")
    build_show(config, show_dir / "public", now=NOW)
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "msaudio.cluster", raising=False)
    again = build_show(with_overrides(config, scheduler="local"), show_dir / "public", now=NOW)
    assert again.reused == ["resting-well"] and not again.failures
