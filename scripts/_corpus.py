"""Measure what msaudio says of the article corpus against its hand-made references.

Run through ``scripts/corpus [--json] [--check] [FOLDER_OR_FILE ...]`` (default: both
halves of ``tests/corpus``). For every article ``<name>.<ext>`` with a
``<name>.<ext>.expected`` beside it (see ``tests/corpus/README.md``):

- **words lost**: reference tokens left unmatched when the reference is aligned with
  the script's display text (difflib, autojunk off), then runs of two or more still
  unmatched reference tokens are looked for again among the unused script tokens, so a
  block read in another place is not lost;
- **clutter lines said**: a ``.clutter`` line whose longest contiguous run of tokens
  found in the script covers at least 60% of its tokens and at least 2 of them (a
  one-token line: when a whole sentence of the script is that token); the outro's credit
  sentences are left out, so a source's name said once there is not its credit line said;
- **terms missed**: a ``.terms`` line whose SPOKEN is not in the spoken text of a
  sentence holding WRITTEN.

An article msaudio refuses counts as every reference word lost. The exit code is 0
unless ``--check`` is given and a folder (a half) is over the held-out thresholds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HALVES = ("tuning", "heldout")
MAX_CHARS = 500  # piper's limit, as in tests/unit/text/test_golden.py
CLUTTER_COVER = 0.6
CLUTTER_MIN_TOKENS = 2
THRESHOLDS = {"clutter_pct": 1.0, "lost_pct": 0.5}
"""The held-out half's limits: at most 1% of clutter lines said, 0.5% of body words lost."""


def _suffixes() -> tuple[str, ...]:
    """Every form msaudio reads (msaudio is imported late, so that --help stays quick)."""
    from msaudio.sources import SUPPORTED_SUFFIXES

    return SUPPORTED_SUFFIXES


_WORD = re.compile(r"\w+(?:'\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def tokens(text: str) -> list[str]:
    """Words of ``text``, NFKC-folded and lower-cased; punctuation and symbols are not words."""
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _WORD.findall(folded)


@dataclass(frozen=True)
class Said:
    """What msaudio says of one article: each sentence's display and spoken text."""

    display: tuple[str, ...]
    spoken: tuple[str, ...]
    credits: tuple[str, ...] = ()
    """The outro's credit sentences ("This article comes from X."): the source's name said
    once there is not its credit line said, so they are left out when clutter is looked for."""


def lost_tokens(reference: Sequence[str], script: Sequence[str]) -> list[int]:
    """Indexes of reference tokens the script does not say, in order or elsewhere."""
    matched = [False] * len(reference)
    used = [False] * len(script)
    blocks = SequenceMatcher(None, reference, script, autojunk=False).get_matching_blocks()
    for block in blocks:
        for k in range(block.size):
            matched[block.a + k] = True
            used[block.b + k] = True
    # Second pass: a run of the reference said somewhere else (a caption moved, a list
    # read after the paragraph that follows it) is not lost. Single words are not looked
    # for again: a lone "the" would be found anywhere.
    for start, end in _runs(matched):
        if end - start < 2:
            continue
        free = [tok if not u else None for tok, u in zip(script, used, strict=True)]
        matcher = SequenceMatcher(None, reference[start:end], free, autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.size < 2:
                continue
            for k in range(block.size):
                matched[start + block.a + k] = True
                used[block.b + k] = True
    return [i for i, ok in enumerate(matched) if not ok]


def _runs(matched: Sequence[bool]) -> list[tuple[int, int]]:
    """(start, end) of every run of unmatched positions."""
    runs, start = [], None
    for i, ok in enumerate([*matched, True]):
        if not ok and start is None:
            start = i
        elif ok and start is not None:
            runs.append((start, i))
            start = None
    return runs


def clutter_said(line: str, said: Said) -> bool:
    """Whether the script says the clutter ``line`` (see the module docstring)."""
    wanted = tokens(line)
    if not wanted:
        return False  # a rule of symbols only: nothing a listener could hear as words
    sentences = [s for s in said.display if s not in said.credits]
    if len(wanted) == 1:
        return any(tokens(sentence) == wanted for sentence in sentences)
    script = [tok for sentence in sentences for tok in tokens(sentence)]
    match = SequenceMatcher(None, wanted, script, autojunk=False).find_longest_match(
        0, len(wanted), 0, len(script)
    )
    return match.size >= CLUTTER_MIN_TOKENS and match.size >= CLUTTER_COVER * len(wanted)


def term_missed(written: str, spoken: str, said: Said) -> bool:
    """Whether no sentence holding ``written`` says ``spoken``, or one holding it does not."""
    pattern = re.compile(rf"(?<!\w){re.escape(written)}(?!\w)")
    holding = [s for d, s in zip(said.display, said.spoken, strict=True) if pattern.search(d)]
    return not holding or any(spoken.casefold() not in s.casefold() for s in holding)


@dataclass
class Result:
    """The measures of one article."""

    path: str
    words: int
    lost: int
    clutter: int
    clutter_said: list[str] = field(default_factory=list)
    terms: int = 0
    terms_missed: list[str] = field(default_factory=list)
    lost_words: list[str] = field(default_factory=list)
    """The lost reference words as runs ("word word word"), in order."""
    error: str | None = None


def say(path: Path) -> Said:
    """What msaudio says of the article at ``path`` (raises MsaudioError when it refuses it)."""
    from msaudio.sources import read_article
    from msaudio.text.script import build_script, credits

    article = read_article(path)
    sentences = build_script(article, MAX_CHARS).sentences()
    return Said(
        tuple(s.display for s in sentences),
        tuple(s.spoken for s in sentences),
        tuple(credits(article)),
    )


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(path: Path, said: Said | None = None, error: str | None = None) -> Result:
    """Measure one article; ``said`` is computed with msaudio when not given."""
    reference = [t for line in _lines(Path(f"{path}.expected")) for t in tokens(line)]
    clutter = _lines(Path(f"{path}.clutter"))
    terms = [line.split("\t", 1) for line in _lines(Path(f"{path}.terms"))]
    if said is None and error is None:
        from msaudio.errors import MsaudioError

        try:
            said = say(path)
        except MsaudioError as problem:
            error = str(problem)
    result = Result(str(path), len(reference), len(reference), len(clutter), terms=len(terms))
    if said is None:
        result.error = error
        result.terms_missed = [written for written, _ in terms]
        result.lost_words = [" ".join(reference)] if reference else []
        return result
    script = [tok for sentence in said.display for tok in tokens(sentence)]
    lost = lost_tokens(reference, script)
    result.lost = len(lost)
    result.lost_words = _as_runs(reference, lost)
    result.clutter_said = [line for line in clutter if clutter_said(line, said)]
    result.terms_missed = [
        f"{written} → {spoken}" for written, spoken in terms if term_missed(written, spoken, said)
    ]
    return result


def _as_runs(reference: Sequence[str], lost: Sequence[int]) -> list[str]:
    runs: list[list[str]] = []
    previous = -2
    for index in lost:
        if index != previous + 1:
            runs.append([])
        runs[-1].append(reference[index])
        previous = index
    return [" ".join(run) for run in runs]


@dataclass
class Total:
    """Sums over a group of articles (a half, or everything)."""

    name: str
    articles: int = 0
    words: int = 0
    lost: int = 0
    clutter: int = 0
    clutter_said: int = 0
    terms: int = 0
    terms_missed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.articles += 1
        self.words += result.words
        self.lost += result.lost
        self.clutter += result.clutter
        self.clutter_said += len(result.clutter_said)
        self.terms += result.terms
        self.terms_missed += len(result.terms_missed)
        if result.error is not None:
            self.errors.append(result.path)

    @property
    def lost_pct(self) -> float:
        return 100.0 * self.lost / self.words if self.words else 0.0

    @property
    def clutter_pct(self) -> float:
        return 100.0 * self.clutter_said / self.clutter if self.clutter else 0.0

    def over(self) -> list[str]:
        """The thresholds this group exceeds."""
        return [
            f"{key.removesuffix('_pct')} {getattr(self, key):.2f}% > {limit}%"
            for key, limit in THRESHOLDS.items()
            if getattr(self, key) > limit
        ]


def articles(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """(group name, article) for every article in ``paths`` (folders or files)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += [
                (path.name, p)
                for p in sorted(path.iterdir())
                if p.suffix.lower() in _suffixes() and Path(f"{p}.expected").is_file()
            ]
        elif path.is_file():
            found.append((path.parent.name, path))
        else:
            raise SystemExit(f"{path}: no such file or folder")
    return found


def run(paths: Sequence[Path]) -> tuple[list[Result], dict[str, Total]]:
    results: list[Result] = []
    totals: dict[str, Total] = {}
    for group, path in articles(paths):
        result = measure(path)
        results.append(result)
        totals.setdefault(group, Total(group)).add(result)
    everything = Total("total")
    for result in results:
        everything.add(result)
    totals["total"] = everything
    return results, totals


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   - "


def report(results: Sequence[Result], totals: dict[str, Total]) -> str:
    out = []
    for r in results:
        name = Path(r.path).name
        said = len(r.clutter_said)
        head = (
            f"{name:<42} lost {r.lost:4}/{r.words:<5} {_pct(r.lost, r.words)}"
            f"  clutter {said:2}/{r.clutter:<3} {_pct(said, r.clutter)}"
            f"  terms missed {len(r.terms_missed)}/{r.terms}"
        )
        out.append(head)
        if r.error is not None:
            out.append(f"    REFUSED: {r.error}")
        out += [f"    said: {line}" for line in r.clutter_said]
        out += [f"    lost: {run}" for run in r.lost_words if r.error is None]
        out += [f"    term: {term}" for term in r.terms_missed if r.error is None]
    out.append("")
    for t in totals.values():
        out.append(
            f"{t.name:<8} {t.articles:3} articles  words lost {t.lost}/{t.words} "
            f"({t.lost_pct:.2f}%)  clutter lines said {t.clutter_said}/{t.clutter} "
            f"({t.clutter_pct:.2f}%)  terms missed {t.terms_missed}/{t.terms}"
            + (f"  refused {len(t.errors)}" if t.errors else "")
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/corpus", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="folders or articles")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a folder is over the held-out limits"
    )
    options = parser.parse_args(argv)
    paths = options.paths or [CORPUS / half for half in HALVES]
    results, totals = run(paths)
    if options.json:
        payload = {
            "articles": [asdict(r) for r in results],
            "totals": {
                k: {**asdict(t), "lost_pct": t.lost_pct, "clutter_pct": t.clutter_pct}
                for k, t in totals.items()
            },
            "thresholds": THRESHOLDS,
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(report(results, totals))
    failing = {k: t.over() for k, t in totals.items() if k != "total" and t.over()}
    if options.check and failing:
        for name, problems in failing.items():
            print(f"{name}: over the thresholds: {', '.join(problems)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
