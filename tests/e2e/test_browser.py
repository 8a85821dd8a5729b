"""End to end: the built pages in a real headless Chromium, audited by axe-core.

The show is built with the tone engine (a real MP3, made fast), served over
HTTP on 127.0.0.1 by a throwaway stdlib server that answers byte ranges (as
any web host does, and as a browser needs to seek), and driven through
Playwright: axe finds no violations, the keyboard alone reaches every control,
sentences and chapters seek the audio, the highlight follows the audio, and
the page reflows at 320 CSS pixels.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, sync_playwright

from msaudio.build import build_show
from msaudio.config import load_config
from tests.helpers import NOW, SHOW_TOML, ToneEngine, require_program

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SLUG = "pacing-a-busy-week"

WEEK_ARTICLE = """\
---
title: Pacing a busy week
author: Morgan Reed
date: 2026-10-12
summary: Spreading effort over the week, so Friday is not the hardest day.
---

A busy week does not have to end in a crash. Spreading the load is a skill, and it can be learned.
Most people find it easier with a simple plan written down on Sunday evening.

## Look at the week ahead

Write down the fixed appointments first. Then mark the tasks that take the most energy.
Try to keep at least one of them away from each crowded day.
Leave an empty half day if you can find one.

## Build in rest before you need it

Rest works best when it comes early. A ten minute sit-down before a task can save an hour of
recovery after it. Set a reminder on your phone, because the moment to rest is easy to miss.
Lying down in a dark room helps some people more than sitting.

## Review on Friday

Look back at what went well. Note which days felt heavy, and why.
Next week's plan can start from those notes.
"""

SECOND_ARTICLE = """\
---
title: A note on cool drinks
date: 2026-09-30
summary: Small sips of something cold on a warm day.
---

A cold drink can ease the effect of heat for a while. Keep a bottle in the fridge in summer.
"""


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with single byte ranges, as web hosts serve them; quiet."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self) -> Any:
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if wanted is None or not os.path.isfile(path) or wanted.groups() == ("", ""):
            return super().send_head()
        data = Path(path).read_bytes()
        first, last = wanted.groups()
        if first:
            start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
        else:
            start, end = max(len(data) - int(last), 0), len(data) - 1
        if start >= len(data) or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start : end + 1])


@dataclass
class Site:
    url: str
    """Base URL of the served output folder, ending with ``/``."""

    out: Path

    @property
    def episode_url(self) -> str:
        return f"{self.url}episodes/{SLUG}.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("browser") / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    (root / "episodes" / f"{SLUG}.md").write_text(WEEK_ARTICLE, encoding="utf-8")
    (root / "episodes" / "cool-drinks.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    out = root / "public"
    result = build_show(load_config(root), out, engine=ToneEngine(), now=NOW)
    assert not result.failures, result.failures
    handler = functools.partial(RangeHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}/", out)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require_program("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    try:
        yield context.new_page()
    finally:
        context.close()


def open_episode(page: Page, site: Site) -> None:
    page.goto(site.episode_url)
    page.wait_for_function("document.getElementById('player').readyState >= 1")


def audio_time(page: Page) -> float:
    return float(page.evaluate("document.getElementById('player').currentTime"))


def pause(page: Page) -> None:
    page.evaluate("document.getElementById('player').pause()")


def start_of(page: Page, selector: str) -> float:
    return float(page.get_attribute(selector, "data-start") or "nan")


def audit(page: Page, label: str, results: dict[str, int]) -> None:
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert report.violations_count == 0, f"{label}:\n{report.generate_report()}"
    results[label] = len(report.response["passes"])


def test_axe_finds_no_violations(browser: Browser, site: Site) -> None:
    passed: dict[str, int] = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(site.url + "index.html")
            audit(page, f"index.html ({scheme})", passed)
            open_episode(page, site)
            audit(page, f"episode page ({scheme})", passed)
            # With a sentence and a chapter highlighted, the transcript and the
            # chapter list meet the enhanced (7:1) contrast level too.
            page.evaluate("document.getElementById('player').currentTime = 9")
            page.wait_for_selector(".cue.is-current")
            enhanced = Axe().run(
                page,
                context={"include": [["#transcript"], [".chapter-list"]]},
                options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}},
            )
            assert enhanced.violations_count == 0, enhanced.generate_report()
            assert enhanced.response["passes"], "the 7:1 contrast rule checked nothing"
        finally:
            context.close()
    print("axe rules passed per page:", passed)
    assert all(count >= 20 for count in passed.values()), passed


FOCUS_INFO = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    classes: e.className,
    role: e.getAttribute('role'),
    action: e.dataset ? (e.dataset.action || e.dataset.rate || null) : null,
    outline: parseFloat(style.outlineWidth) || 0,
    outlineStyle: style.outlineStyle,
    visible: e.getBoundingClientRect().width > 0,
  };
}"""


def test_the_keyboard_alone_reaches_every_control(page: Page, site: Site) -> None:
    open_episode(page, site)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_INFO)
    assert "skip-link" in first["classes"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    seen: list[dict[str, Any]] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
        if info["tag"] == "body":
            break
        seen.append(info)
    assert any(i["id"] == "player" for i in seen), "the audio player is not reachable"
    assert any(i["action"] == "play" for i in seen), "the Play button is not reachable"
    assert {i["action"] for i in seen} >= {"0.75", "1", "1.25", "1.5", "back", "forward"}
    chapters = [i for i in seen if "chapter" in i["classes"].split()]
    assert len(chapters) == 4
    cues = [i for i in seen if "cue" in i["classes"].split()]
    # One tab stop for the whole transcript (arrow keys move inside it).
    assert [c["id"] for c in cues] == ["cue-1"] and cues[0]["role"] == "button"
    for info in seen:
        if info["tag"] != "audio":  # the native player draws its own focus ring
            assert info["outline"] >= 3 and info["outlineStyle"] == "solid", info
        assert info["visible"], info

    page.focus("#cue-1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "cue-3"
    page.keyboard.press("End")
    last = page.evaluate("document.activeElement.id")
    assert last == page.evaluate("[...document.querySelectorAll('#transcript .cue')].pop().id")
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.id") == "cue-1"
    page.keyboard.press("ArrowDown")
    # Leaving and coming back lands on the sentence last visited.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cue-2"


def test_sentences_and_chapters_seek_the_audio(page: Page, site: Site) -> None:
    open_episode(page, site)
    cue = "#cue-9"
    page.click(cue)
    assert abs(audio_time(page) - start_of(page, cue)) <= 0.3
    assert page.evaluate("document.getElementById('player').paused") is False, "it should play"
    assert page.text_content("button[data-action=play]") == "Pause"
    pause(page)
    assert page.text_content("button[data-action=play]") == "Play"

    page.focus("#cue-4")
    page.keyboard.press("Enter")
    assert abs(audio_time(page) - start_of(page, "#cue-4")) <= 0.3
    pause(page)
    page.focus("#cue-12")
    page.keyboard.press(" ")
    assert abs(audio_time(page) - start_of(page, "#cue-12")) <= 0.3
    pause(page)
    assert page.evaluate("window.scrollY") >= 0

    url = page.url
    for index in (2, 3, 0):
        link = page.locator("a.chapter").nth(index)
        link.click()
        start = float(link.get_attribute("data-start") or "nan")
        assert abs(audio_time(page) - start) <= 0.3
        assert link.get_attribute("aria-current") == "true"
        pause(page)
    page.locator("a.chapter").nth(1).focus()
    page.keyboard.press("Enter")
    assert (
        abs(
            audio_time(page)
            - float(page.locator("a.chapter").nth(1).get_attribute("data-start") or "nan")
        )
        <= 0.3
    )
    pause(page)
    assert page.url == url, "a chapter seeks the player instead of opening the MP3"

    page.click("button[data-rate='1.5']")
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.5
    pressed = page.eval_on_selector_all(
        "button[data-rate]", "bs => bs.map(b => b.getAttribute('aria-pressed'))"
    )
    assert pressed == ["false", "false", "false", "true"]
    page.reload()
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.5, "remembered"
    page.click("button[data-rate='1']")


SEEK_AND_WAIT = """async (t) => {
  const audio = document.getElementById('player');
  await new Promise((resolve) => {
    audio.addEventListener('timeupdate', resolve, { once: true });
    audio.currentTime = t;
  });
  const current = [...document.querySelectorAll('[aria-current]')];
  return {
    cues: current.filter((e) => e.classList.contains('cue')).map((e) => e.id),
    marked: [...document.querySelectorAll('.cue.is-current')].map((e) => e.id),
    chapters: current.filter((e) => e.classList.contains('chapter')).map((e) => e.dataset.chapter),
    focus: document.activeElement.id,
  };
}"""


def test_the_highlight_follows_the_audio(page: Page, site: Site) -> None:
    open_episode(page, site)
    spans = page.eval_on_selector_all(
        "#transcript .cue",
        "cs => cs.map(c => [c.id, +c.dataset.start, +c.dataset.end])",
    )
    chapter_starts = page.eval_on_selector_all(
        "a.chapter", "cs => cs.map(c => [c.dataset.chapter, +c.dataset.start])"
    )
    page.focus("a.chapter")  # focus stays where the listener left it
    for cue_id, start, end in [spans[2], spans[7], spans[-1], spans[0]]:
        state = page.evaluate(SEEK_AND_WAIT, (start + end) / 2)
        assert state["cues"] == [cue_id] and state["marked"] == [cue_id], state
        expected = [n for n, s in chapter_starts if s <= start + 0.001][-1]
        assert state["chapters"] == [expected], state
        assert state["focus"] == "", "highlighting must not move the focus"
    assert page.evaluate("document.activeElement.classList.contains('chapter')")


LAST_CUE = "[...document.querySelectorAll('#transcript .cue')].pop()"


def test_the_transcript_scrolls_along_unless_motion_is_reduced(
    browser: Browser, site: Site
) -> None:
    motions: list[tuple[Literal["no-preference", "reduce"], bool]] = [
        ("no-preference", True),
        ("reduce", False),
    ]
    for motion, should_scroll in motions:
        context = browser.new_context(viewport={"width": 480, "height": 400}, reduced_motion=motion)
        try:
            page = context.new_page()
            open_episode(page, site)
            page.evaluate("document.getElementById('cue-1').scrollIntoView({block: 'center'})")
            page.click("#cue-1")  # playing, and the reader is following along
            before = page.evaluate("window.scrollY")
            last = float(page.evaluate(LAST_CUE + ".dataset.start"))
            page.evaluate(SEEK_AND_WAIT, last + 0.05)
            page.wait_for_timeout(600)  # a smooth scroll takes a moment
            moved = page.evaluate("window.scrollY") - before
            in_view = page.evaluate(
                f"(c => {{ const b = c.getBoundingClientRect();"
                f" return b.top >= 0 && b.bottom <= innerHeight; }})({LAST_CUE})"
            )
            pause(page)
            assert (moved > 0 and in_view) if should_scroll else moved == 0, (motion, moved)
        finally:
            context.close()


@pytest.mark.parametrize(("width", "scale"), [(320, 1), (640, 2)])
def test_the_pages_reflow_without_horizontal_scrolling(
    browser: Browser, site: Site, width: int, scale: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 720}, device_scale_factor=scale
    )
    try:
        page = context.new_page()
        for url in (site.url + "index.html", site.episode_url):
            page.goto(url)
            overflow = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert overflow[0] <= overflow[1], (url, overflow)
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 20
            small = page.eval_on_selector_all(
                "button, .chapter, .site-nav a",
                "es => es.filter(e => { const b = e.getBoundingClientRect();"
                " return b.width > 0 && (b.height < 44 || b.width < 44); }).map(e => e.outerHTML)",
            )
            assert small == [], small
    finally:
        context.close()


def test_without_javascript_the_audio_and_transcript_are_all_there(
    browser: Browser, site: Site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.episode_url)
        assert page.locator("audio#player").is_visible()
        cues = page.locator("#transcript .cue")
        assert cues.count() > 10 and cues.last.is_visible()
        assert not page.locator(".player-controls").is_visible()
        assert not page.locator("[role=button]").count()
        href = page.locator("a.chapter").nth(1).get_attribute("href") or ""
        assert re.fullmatch(rf"{SLUG}\.[0-9a-f]{{10}}\.mp3#t=\d+\.\d{{3}}", href)
    finally:
        context.close()
