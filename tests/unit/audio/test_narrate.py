"""One narration for build, say and proof: the timeline comes back with what was said."""

from __future__ import annotations

from pathlib import Path

from msaudio.audio.narrate import narrate_episode
from msaudio.config import default_config
from msaudio.plan import plan_article
from tests.helpers import ToneEngine

ARTICLE = """\
---
title: Cool mornings
---

A walk before the heat helps many people with MS. Rest in the shade when you feel tired.

## Water

Carry a bottle of cold water.
"""


def test_each_cue_comes_with_the_text_the_engine_was_given(tmp_path: Path) -> None:
    path = tmp_path / "cool-mornings.md"
    path.write_text(ARTICLE, encoding="utf-8")
    config = default_config(tmp_path)
    engine = ToneEngine()
    plan, _ = plan_article(path, config, engine)
    narrated = narrate_episode(plan, config.audio, tmp_path / "out.mp3")

    cues = narrated.timeline.cues
    assert len(narrated.spoken) == len(cues) == len(plan.script.sentences())
    # The engine was asked for each text once; the length sentence last, though it plays early.
    assert sorted(engine.calls) == sorted(narrated.spoken)
    overview = plan.script.overview
    assert overview is not None
    assert engine.calls[-1] == narrated.spoken[overview] == cues[overview].text
    assert "minute" in cues[overview].text
    # Every other cue was told what the script says, in playing order.
    for index, (sentence, spoken) in enumerate(
        zip(plan.script.sentences(), narrated.spoken, strict=True)
    ):
        if index != overview:
            assert spoken == sentence.spoken
    # What the listener reads is not always what the engine was told ("MS" as letters).
    said = dict(zip((cue.text for cue in cues), narrated.spoken, strict=True))
    assert any(text != spoken for text, spoken in said.items())
