"""``msaudio init``: a new show folder with settings and one sample article."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from msaudio.config import CONFIG_NAME
from msaudio.errors import ConfigError

SAMPLE_NAME = "welcome-to-the-show.md"


def init_show(root: Path) -> list[Path]:
    """Create ``podcast.toml`` and ``episodes/`` with a sample article; return what was written."""
    config_path = root / CONFIG_NAME
    if config_path.exists():
        raise ConfigError("already exists; msaudio init never overwrites a show", config_path)
    data = files("msaudio").joinpath("data/init")
    root.mkdir(parents=True, exist_ok=True)
    config_path.write_text(
        data.joinpath("podcast.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    written = [config_path]
    sample = root / "episodes" / SAMPLE_NAME
    if not sample.exists():
        sample.parent.mkdir(exist_ok=True)
        sample.write_text(data.joinpath(SAMPLE_NAME).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(sample)
    return written
