"""Property tests: whatever the article, the script says all of it, in pieces the engine takes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from msaudio.errors import ArticleError
from msaudio.model import Article, BlockKind
from msaudio.sources import read_article
from msaudio.text.cleanup import clean_sentence_text
from msaudio.text.script import build_script

WORDS = st.sampled_from(
    [
        "the",
        "MS",
        "nerve",
        "myelin",
        "fatigue",
        "rest",
        "walk",
        "heat",
        "cool",
        "Dr.",
        "10",
        "mg",
        "2–3",
        "1st",
        "98.6°F",
        "10",
        "a.m.",
        "RRMS",
        "MRI",
        "(EDSS)",
        "neurologist",
        "day",
        "week",
        "it's",
        "well-being",
        "and",
        "or",
        "but",
        "🎉",
        "#MSAwareness",
        "@clinic",
        "https://example.org/x",
        "www.example.com",
        "&",
        "<",
        ">",
        '"',
        "'",
        "…",
        "—",
        "3.5",
        "1,200",
        "50%",
    ]
)
PUNCTUATION = st.sampled_from(["", "", "", ",", ".", "!", "?", ";", ":", " -", "..."])
SENTENCE = st.lists(st.tuples(WORDS, PUNCTUATION), min_size=1, max_size=60).map(
    lambda pairs: " ".join(word + mark for word, mark in pairs)
)
BLOCK = st.one_of(
    SENTENCE,
    SENTENCE.map(lambda s: "## " + s[:60]),
    st.lists(SENTENCE.map(lambda s: "- " + s[:120]), min_size=1, max_size=4).map("\n".join),
    SENTENCE.map(lambda s: "> " + s),
    SENTENCE.map(lambda s: f"![{s[:40]}](image.png)"),
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=12).map("\n\n".join)

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.casefold()))


def article_of(markdown: str) -> Article:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.md"
        path.write_text(f"---\ntitle: A test\n---\n\n{markdown}\n", encoding="utf-8")
        try:
            return read_article(path)
        except ArticleError:
            assume(False)
            raise


def texts(article: Article) -> list[str]:
    found = [article.title]
    for block in article.blocks:
        found.extend(block.items if block.kind is BlockKind.LIST else [block.text])
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT, st.sampled_from([60, 100, 200, 500]))
def test_every_word_is_said_and_every_sentence_fits(markdown: str, max_chars: int) -> None:
    article = article_of(markdown)
    script = build_script(article, max_chars)
    sentences = script.sentences()
    assert sentences and all(s.display.strip() and s.spoken.strip() for s in sentences)
    assert all(len(s.spoken) <= max_chars for s in sentences)
    said = set().union(*(tokens(s.display) for s in sentences))
    missing = set().union(*(tokens(text) for text in texts(article))) - said
    assert not missing, missing


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_cleanup_never_fails_and_leaves_no_address(text: str) -> None:
    cleaned = clean_sentence_text(text)
    assert "http://" not in cleaned and "https://" not in cleaned
    assert "\U0001f389" not in cleaned  # no emoji survive
