"""The corpus measure (scripts/_corpus.py) and the held-out half against its thresholds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import REPO, TESTS

CORPUS = TESTS / "corpus"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_corpus", REPO / "scripts" / "_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_corpus"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


corpus = _load()


def said(*sentences: str) -> object:
    return corpus.Said(tuple(sentences), tuple(sentences))


def write_article(folder: Path, text: str, expected: str, clutter: str = "") -> Path:
    path = folder / "article.txt"
    path.write_text(text, encoding="utf-8")
    Path(f"{path}.expected").write_text(expected, encoding="utf-8")
    Path(f"{path}.clutter").write_text(clutter, encoding="utf-8")
    return path


def test_tokens_fold_case_punctuation_and_compatibility_forms() -> None:
    assert corpus.tokens("Uhthoff’s: 37°C, ½ TABLET!") == [
        "uhthoff's",
        "37",
        "c",
        "1",
        "2",
        "tablet",
    ]


def test_a_clutter_line_said_is_detected() -> None:
    script = said("Heat and MS.", "Share this post on Facebook.", "Tweet this.", "Thank you.")
    assert corpus.clutter_said("Share this post on Facebook | Tweet this | Print", script)


def test_a_clutter_line_mostly_said_counts_and_a_short_overlap_does_not() -> None:
    script = said("Unsubscribe or update your preferences.")
    assert corpus.clutter_said("Unsubscribe | Update your preferences here", script)  # 5 of 6
    assert not corpus.clutter_said("Update your preferences to hear about local events", script)


def test_a_credits_name_said_alone_is_not_clutter() -> None:
    script = said(
        "Cooling vests.", "This article comes from HarbourLightHealth.", "Thank you for listening."
    )
    assert not corpus.clutter_said("Brought to you by HarbourLightHealth", script)
    assert corpus.clutter_said(
        "Brought to you by HarbourLightHealth", said("Brought to you by HarbourLightHealth.")
    )


def test_the_outros_credit_sentence_is_not_its_credit_line_said() -> None:
    credit = "This article comes from MS Research Digest."
    outro = corpus.Said(("Vitamin D.", credit), ("Vitamin D.", credit), (credit,))
    assert not corpus.clutter_said("Source: MS Research Digest", outro)
    read = corpus.Said(("Vitamin D.", "Source: MS Research Digest.", credit), ("",) * 3, (credit,))
    assert corpus.clutter_said("Source: MS Research Digest", read)


def test_a_one_word_clutter_line_counts_only_as_a_whole_sentence() -> None:
    assert corpus.clutter_said("Reply", said("Thanks, that helps.", "Reply."))
    assert not corpus.clutter_said("Reply", said("I will reply after the trial."))


def test_a_lost_paragraph_counts(tmp_path: Path) -> None:
    expected = (
        "Title\nFirst paragraph has six words here.\nSecond paragraph is lost entirely now.\n"
    )
    path = write_article(tmp_path, "unused", expected)
    result = corpus.measure(path, said("Title.", "First paragraph has six words here."))
    assert result.words == 13
    assert result.lost == 6
    assert result.lost_words == ["second paragraph is lost entirely now"]


def test_reordered_and_extra_script_words_are_not_loss(tmp_path: Path) -> None:
    expected = "Heat and MS\nA cool drink helps.\nA fan helps too.\nRest in the afternoon.\n"
    path = write_article(tmp_path, "unused", expected)
    script = said(
        "Heat and MS.",
        "Written by Jo Bell.",
        "About one minute, with one section.",
        "Rest in the afternoon.",
        "A cool drink helps.",
        "A fan helps too.",
        "Thank you for listening.",
    )
    result = corpus.measure(path, script)
    assert result.lost == 0


def test_a_term_must_be_spoken_in_the_sentence_that_holds_it() -> None:
    script = corpus.Said(
        ("I take 10 mg daily.", "MRI is due."), ("I take 10 milligrams daily.", "MRI is due.")
    )
    assert not corpus.term_missed("10 mg", "10 milligrams", script)
    assert corpus.term_missed("MRI", "M R I", script)
    assert corpus.term_missed("EDSS", "E D S S", script)  # not said at all


def test_a_refused_article_loses_every_word_and_is_listed(tmp_path: Path) -> None:
    path = write_article(tmp_path, "", "Title\nSome body words.\n", "Click HERE to subscribe\n")
    result = corpus.measure(path)
    assert result.error is not None
    assert result.lost == result.words == 4
    total = corpus.Total("x")
    total.add(result)
    assert total.errors == [str(path)]
    assert total.lost_pct == 100.0


def test_check_exits_1_only_when_asked_and_a_folder_is_over(tmp_path: Path) -> None:
    path = write_article(
        tmp_path,
        "Cooling vests\n\nA vest helps on hot days.\n\nOur shop sells the blue vest cheaply.\n",
        "Cooling vests\nA vest helps on hot days.\n",
        "Our shop sells the blue vest cheaply.\n",  # plain prose: every reader says it
    )
    results, totals = corpus.run([tmp_path])
    assert results[0].lost == 0
    assert results[0].clutter_said == ["Our shop sells the blue vest cheaply."]
    assert totals[tmp_path.name].over()
    assert corpus.main([str(tmp_path)]) == 0
    assert corpus.main(["--check", str(path)]) == 1


def test_every_article_has_its_reference_and_the_halves_match() -> None:
    halves = {}
    for half in corpus.HALVES:
        found = corpus.articles([CORPUS / half])
        assert len(found) >= 24
        for _, path in found:
            assert Path(f"{path}.clutter").is_file(), path
        halves[half] = sorted(p.name.split("-")[0] for _, p in found)
    assert halves["tuning"] == halves["heldout"]  # each kind split evenly across the halves


@pytest.mark.xfail(
    strict=True,
    reason="issue 17 is open: the held-out half is still over its thresholds (see closing notes)",
)
def test_the_heldout_half_is_within_the_thresholds() -> None:
    _, totals = corpus.run([CORPUS / "heldout"])
    heldout = totals["heldout"]
    assert heldout.errors == []
    assert heldout.clutter_pct <= corpus.THRESHOLDS["clutter_pct"]
    assert heldout.lost_pct <= corpus.THRESHOLDS["lost_pct"]
