"""``msaudio fetch`` against an HTTP server on 127.0.0.1: feeds, pages, retries, failures."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from msaudio.fetch import http, run
from msaudio.fetch.save import RECORD_NAME
from msaudio.sources import read_article
from tests.helpers import SHOW_TOML, run_cli

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


@dataclass
class Route:
    body: bytes
    content_type: str
    failures: int = 0
    """How many requests get a 500 before the body is served."""
    slow: bool = False
    """Answer only when the test ends (a server that hangs)."""
    location: str | None = None
    """Redirect there instead (301)."""


@dataclass
class Site:
    """What the local server serves, and what it was asked."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    base: str = ""
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: str, content_type: str = HTML, **options: object) -> str:
        self.routes[path] = Route(body.encode("utf-8"), content_type, **options)  # type: ignore[arg-type]
        return self.url(path)

    def asked(self, path: str) -> int:
        return sum(1 for asked, _ in self.requests if asked == path)

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.failures:
                route.failures -= 1
                self.send_error(500)
                return
            if route.slow:
                state.release.wait(10)
            if route.location is not None:
                self.send_response(301)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    state.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    state.stop()


@pytest.fixture(autouse=True)
def quick_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts and backoff: the server is on this machine."""
    monkeypatch.setattr(
        run, "HttpClient", functools.partial(http.HttpClient, timeout=2.0, retries=2, backoff=0.01)
    )


@pytest.fixture
def show(tmp_path: Path) -> Path:
    root = tmp_path / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    return root


PARAGRAPHS = {
    "pacing": [
        "Some weeks fill up before they begin, with appointments, work and family all at once.",
        "Spreading the heavy jobs across the days, and leaving a gap after each one, keeps a "
        "little energy in reserve for the evenings.",
        "Writing the week on one sheet of paper makes it easier to see where the rests can go.",
    ],
    "cooling": [
        "We wore three different cooling vests on warm afternoons over a whole summer.",
        "The vests filled with gel packs stayed cold for about two hours, while the ones that "
        "rely on evaporation worked best in dry weather.",
        "Whichever you choose, try it on at home before a long day out.",
    ],
    "employer": [
        "Deciding whether to tell an employer about a diagnosis is a personal choice.",
        "Those who do often ask for small changes first, such as a desk near a window that "
        "opens, or a later start on days after a relapse.",
        "A short written note of what was agreed helps everyone remember it.",
    ],
}


def html_paragraphs(key: str) -> str:
    return "".join(f"<p>{text}</p>" for text in PARAGRAPHS[key])


def rss_item(title: str, link: str, guid: str, date: str, author: str, content: str | None) -> str:
    body = (
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        if content is not None
        else "<description>A short teaser, not the article.</description>"
    )
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{guid}</guid><pubDate>{date}</pubDate>'
        f"<dc:creator>{author}</dc:creator>{body}</item>"
    )


def rss(items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title>Lakeside MS Notes</title><link>http://example.org/</link>"
        f"<description>Notes from a support group.</description>{''.join(items)}"
        "</channel></rss>"
    )


def cooling_page() -> str:
    # The page gives an older date of its own: the feed's wins.
    return (
        "<!DOCTYPE html><html><head><title>Cooling vests, tried and tested | Lakeside</title>"
        '<meta name="date" content="2024-01-05"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Cooling vests, tried and tested</h1>{html_paragraphs('cooling')}"
        "</article></body></html>"
    )


def two_item_feed(site: Site) -> str:
    site.serve("/posts/cooling-vests", cooling_page())
    items = [
        rss_item(
            "Pacing on a busy week",
            site.url("/posts/pacing"),
            "tag:lakeside,2025:pacing",
            "Mon, 03 Mar 2025 09:15:00 GMT",
            "Jo Bell",
            html_paragraphs("pacing"),
        ),
        rss_item(
            "Cooling vests, tried and tested",
            site.url("/posts/cooling-vests"),
            "tag:lakeside,2025:cooling",
            "Mon, 10 Mar 2025 18:00:00 +0000",
            "Sam Reed",
            None,
        ),
    ]
    site.serve("/feed.xml", rss(items), RSS)
    return rss(items)


def third_item() -> str:
    return rss_item(
        "Talking to your employer",
        "http://example.org/posts/employer",
        "tag:lakeside,2025:employer",
        "Mon, 17 Mar 2025 07:00:00 GMT",
        "Jo Bell",
        html_paragraphs("employer"),
    )


def fetch(capsys: pytest.CaptureFixture[str], show: Path, *urls: str) -> tuple[int, str, str]:
    return run_cli(capsys, "fetch", "-C", str(show), *urls)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the show folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_feed_brings_its_items_then_nothing_then_only_the_new_one(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = site.url("/feed.xml")
    two_item_feed(site)
    code, out, err = fetch(capsys, show, feed)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "episodes/pacing-on-a-busy-week.html: Pacing on a busy week (2025-03-03)",
        "episodes/cooling-vests-tried-and-tested.html: "
        "Cooling vests, tried and tested (2025-03-10)",
        "2 new articles",
    ]
    assert site.asked("/posts/cooling-vests") == 1  # no content in the feed: the page
    assert site.asked("/posts/pacing") == 0  # content:encoded: the feed's own
    assert all(agent.startswith("msaudio/") for _, agent in site.requests)

    pacing = read_article(show / "episodes" / "pacing-on-a-busy-week.html")
    assert pacing.title == "Pacing on a busy week"
    assert pacing.author == "Jo Bell"
    assert pacing.date == dt.date(2025, 3, 3)
    assert pacing.credit == "Lakeside MS Notes"
    assert [b.text for b in pacing.blocks] == PARAGRAPHS["pacing"]
    cooling = read_article(show / "episodes" / "cooling-vests-tried-and-tested.html")
    assert cooling.date == dt.date(2025, 3, 10)  # the feed's date, not the page's 2024 one
    assert cooling.author == "Sam Reed"
    assert "Home" not in " ".join(b.text for b in cooling.blocks)
    saved = (show / "episodes" / "cooling-vests-tried-and-tested.html").read_text("utf-8")
    assert 'name="msaudio:guid" content="tag:lakeside,2025:cooling"' in saved
    assert f'rel="canonical" href="{site.url("/posts/cooling-vests")}"' in saved

    before = snapshot(show)
    code, out, _ = fetch(capsys, show, feed)
    assert (code, out) == (0, "0 new articles\n")
    assert snapshot(show) == before
    assert site.asked("/posts/cooling-vests") == 1

    # The producer renames one file and deletes the other: neither comes back.
    (show / "episodes" / "pacing-on-a-busy-week.html").rename(show / "episodes" / "pacing.html")
    (show / "episodes" / "cooling-vests-tried-and-tested.html").unlink()
    site.serve(
        "/feed.xml", two_item_feed(site).replace("</channel>", third_item() + "</channel>"), RSS
    )
    code, out, _ = fetch(capsys, show, feed)
    assert code == 0
    assert out.splitlines() == [
        "episodes/talking-to-your-employer.html: Talking to your employer (2025-03-17)",
        "1 new article",
    ]
    assert sorted(p.name for p in (show / "episodes").iterdir()) == [
        "pacing.html",
        "talking-to-your-employer.html",
    ]
    record = json.loads((show / RECORD_NAME).read_text("utf-8"))["articles"]
    assert [entry["guid"] for entry in record] == [
        "tag:lakeside,2025:pacing",
        "tag:lakeside,2025:cooling",
        "tag:lakeside,2025:employer",
    ]
    assert record[0]["published"] == "2025-03-03T09:15:00Z"


def test_with_the_server_gone_one_line_exit_1_and_nothing_changes(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = site.url("/feed.xml")
    two_item_feed(site)
    assert fetch(capsys, show, feed)[0] == 0
    site.serve(
        "/feed.xml", two_item_feed(site).replace("</channel>", third_item() + "</channel>"), RSS
    )
    before = snapshot(show)
    site.stop()
    code, out, err = fetch(capsys, show, feed)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"error: {feed}: cannot connect (the server is down or the address is wrong)"
    ]
    assert snapshot(show) == before


def test_a_failure_midway_writes_nothing(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    two_item_feed(site)
    del site.routes["/posts/cooling-vests"]  # the second item's page is missing
    before = snapshot(show)
    code, out, err = fetch(capsys, show, site.url("/feed.xml"))
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {site.url('/posts/cooling-vests')}: HTTP 404 Not Found"]
    assert snapshot(show) == before and not (show / RECORD_NAME).exists()


def test_a_server_error_is_retried(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    two_item_feed(site)
    site.routes["/feed.xml"].failures = 2
    code, out, err = fetch(capsys, show, site.url("/feed.xml"))
    assert (code, err) == (0, ""), err
    assert out.endswith("2 new articles\n")
    assert site.asked("/feed.xml") == 3


def test_a_server_that_keeps_failing_is_one_line(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    two_item_feed(site)
    site.routes["/feed.xml"].failures = 10
    code, _, err = fetch(capsys, show, site.url("/feed.xml"))
    assert code == 1
    assert err.splitlines() == [
        f"error: {site.url('/feed.xml')}: the server kept failing (too many 500 error responses)"
    ]
    assert site.asked("/feed.xml") == 3  # the first try and two retries
    assert list((show / "episodes").iterdir()) == []


def test_a_server_that_does_not_answer_times_out(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        run, "HttpClient", functools.partial(http.HttpClient, timeout=0.2, retries=1, backoff=0.01)
    )
    url = site.serve("/slow.xml", rss([]), RSS, slow=True)
    code, out, err = fetch(capsys, show, url)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"error: {url}: timed out (no answer within 0.2 s)"]
    assert site.asked("/slow.xml") == 2


def test_an_atom_feed(show: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Clinic leaflets</title><id>urn:clinic</id><updated>2025-04-02T10:00:00Z</updated>"
        "<author><name>The MS Nurses</name></author>"
        "<entry><title>Heat and symptoms</title><id>urn:clinic:heat</id>"
        '<link href="/leaflets/heat"/><published>2025-04-01T23:30:00-02:00</published>'
        "<updated>2025-04-02T10:00:00Z</updated>"
        f'<content type="html">{escape(html_paragraphs("cooling"))}'
        "</content></entry>"
        "<entry><title>Planning the week</title><id>urn:clinic:week</id>"
        "<updated>2025-03-20T08:00:00Z</updated>"
        '<content type="text">' + "\n\n".join(PARAGRAPHS["pacing"]) + "</content></entry>"
        "</feed>"
    )
    url = site.serve("/atom", atom, "application/atom+xml")
    code, out, err = fetch(capsys, show, url)
    assert (code, err) == (0, ""), err
    assert out.splitlines() == [
        "episodes/heat-and-symptoms.html: Heat and symptoms (2025-04-02)",  # 23:30 at UTC-2
        "episodes/planning-the-week.html: Planning the week (2025-03-20)",
        "2 new articles",
    ]
    heat = read_article(show / "episodes" / "heat-and-symptoms.html")
    assert (heat.author, heat.date, heat.credit) == (
        "The MS Nurses",
        dt.date(2025, 4, 2),
        "Clinic leaflets",
    )
    week = read_article(show / "episodes" / "planning-the-week.html")
    assert [b.text for b in week.blocks] == PARAGRAPHS["pacing"]
    saved = (show / "episodes" / "heat-and-symptoms.html").read_text("utf-8")
    assert f'rel="canonical" href="{site.url("/leaflets/heat")}"' in saved  # resolved


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_single_page(show: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="windows-1252">'
        "<title>Sleep and fatigue | Lakeside</title>"
        '<meta property="article:published_time" content="2025-02-14T08:00:00Z">'
        '<meta name="author" content="Ana Ruiz"></head><body>'
        "<article><h1>Sleep and fatigue</h1>"
        "<p>Fatigue is not the same as sleepiness, though the two often arrive together.</p>"
        "<p>A regular bedtime and a cool, dark room help many people sleep through the night.</p>"
        "<p>Caf\xe9 drinks late in the day are worth a second thought.</p>"
        "</article></body></html>"
    )
    route = site.serve("/sleep", "")
    site.routes["/sleep"] = Route(page.encode("cp1252"), "text/html")  # charset only in the page
    site.routes["/go"] = Route(b"", HTML, location="/sleep")
    code, out, err = fetch(capsys, show, site.url("/go"))
    assert (code, err) == (0, ""), err
    assert out.splitlines() == [
        "episodes/sleep-and-fatigue.html: Sleep and fatigue (2025-02-14)",
        "1 new article",
    ]
    article = read_article(show / "episodes" / "sleep-and-fatigue.html")
    assert (article.title, article.author, article.date) == (
        "Sleep and fatigue",
        "Ana Ruiz",
        dt.date(2025, 2, 14),
    )
    assert "Café drinks" in article.blocks[-1].text
    saved = (show / "episodes" / "sleep-and-fatigue.html").read_text("utf-8")
    assert f'name="msaudio:source" content="{route}"' in saved  # where the redirect led
    assert fetch(capsys, show, route)[1] == "0 new articles\n"
    assert fetch(capsys, show, site.url("/go"))[1] == "0 new articles\n"
    assert site.asked("/sleep") == 1  # a page fetched before is not asked for again


def test_titles_without_ascii_and_taken_names(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    (show / "episodes" / "pacing-on-a-busy-week.md").write_text(
        "# Mine\n\nMy own article.\n", "utf-8"
    )
    items = [
        rss_item(
            "多発性硬化症と暮らす",
            site.url("/posts/living-with-ms"),
            "g1",
            "Mon, 03 Mar 2025 09:00:00 GMT",
            "Jo",
            html_paragraphs("pacing"),
        ),
        rss_item(
            "疲労について",
            site.url("/記事/"),
            "g2",
            "Tue, 04 Mar 2025 09:00:00 GMT",
            "Jo",
            html_paragraphs("cooling"),
        ),
        rss_item(
            "Ψ",
            site.url("/記事/2"),
            "g3",
            "Tue, 04 Mar 2025 10:00:00 GMT",
            "Jo",
            html_paragraphs("employer"),
        ),
        rss_item(
            "Pacing on a busy week",
            site.url("/p/1"),
            "g4",
            "Wed, 05 Mar 2025 09:00:00 GMT",
            "Jo",
            html_paragraphs("pacing"),
        ),
    ]
    url = site.serve("/feed.xml", rss(items), RSS)
    code, out, err = fetch(capsys, show, url)
    assert (code, err) == (0, ""), err
    names = [line.split(":")[0] for line in out.splitlines()[:-1]]
    assert names == [
        "episodes/living-with-ms.html",
        "episodes/article-2025-03-04.html",
        "episodes/article-2025-03-04-2.html",
        "episodes/pacing-on-a-busy-week-2.html",
    ]
    assert (show / "episodes" / "pacing-on-a-busy-week.md").read_text("utf-8").startswith("# Mine")
    assert read_article(show / "episodes" / "living-with-ms.html").title == "多発性硬化症と暮らす"


def test_sources_feeds_in_podcast_toml(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = fetch(capsys, show)
    assert code == 2 and "no URL given and no [sources] feeds" in err
    config = show / "podcast.toml"
    config.write_text(SHOW_TOML + '[sources]\nfeeds = ["not a url"]\n', "utf-8")
    code, _, err = fetch(capsys, show)
    assert code == 2
    assert err.splitlines() == [
        f"error: {config}: key 'sources.feeds': found ['not a url'], expected a list of "
        "absolute http:// or https:// URLs (feeds or pages)"
    ]
    two_item_feed(site)
    config.write_text(SHOW_TOML + f'[sources]\nfeeds = ["{site.url("/feed.xml")}"]\n', "utf-8")
    code, out, err = fetch(capsys, show)
    assert (code, err) == (0, "") and out.endswith("2 new articles\n")
    code, _, err = fetch(capsys, show, "ftp://example.org/feed")
    assert code == 2 and "expected an absolute http:// or https:// URL" in err


def test_neither_feed_nor_page_is_one_line(
    show: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.serve("/data.json", '{"a": 1}', "application/json")
    code, _, err = fetch(capsys, show, url)
    assert code == 1
    assert err.splitlines() == [
        f"error: {url}: neither an RSS or Atom feed nor a web page (application/json)"
    ]


def test_the_sources_table_that_init_writes_is_valid(tmp_path: Path) -> None:
    from msaudio.config import load_config
    from msaudio.scaffold import init_show

    init_show(tmp_path / "new")
    config_file = tmp_path / "new" / "podcast.toml"
    text = config_file.read_text("utf-8")
    assert "# [sources]" in text
    lines = [
        line.removeprefix("# ") if line.startswith(("# [sources]", "# feeds")) else line
        for line in text.splitlines()
    ]
    config_file.write_text("\n".join(lines) + "\n", "utf-8")
    assert load_config(tmp_path / "new").sources.feeds == ("https://example.org/feed.xml",)
