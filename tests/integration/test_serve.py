"""``msaudio serve``: real HTTP requests over loopback to a server on a free port."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.http import http_date

from msaudio.errors import ConfigError
from msaudio.serve import IDLE_TIMEOUT, base_urls, content_type, lan_address, make_server
from tests.helpers import run_cli

MP3 = bytes(range(256)) * 40  # 10,240 bytes, every offset distinguishable enough
SECRET = "top secret, outside the output folder"

Reply = tuple[int, http.client.HTTPMessage, bytes]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder with one file of each kind, hidden files and escaping symlinks."""
    out = tmp_path / "public"
    episodes = out / "episodes"
    episodes.mkdir(parents=True)
    (out / "feed.xml").write_text("<rss version='2.0'><channel/></rss>\n", encoding="utf-8")
    (out / "index.html").write_text("<!doctype html><title>Show</title>\n", encoding="utf-8")
    (out / "style.css").write_text("body { font-size: 130%; }\n", encoding="utf-8")
    (out / "player.js").write_text("console.log('hi');\n", encoding="utf-8")
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (out / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    (out / ".msaudio-build.json").write_text('{"format": 2}', encoding="utf-8")
    (episodes / "one.mp3").write_bytes(MP3)
    (episodes / "one.vtt").write_text("WEBVTT\n\n", encoding="utf-8")
    (episodes / "one.chapters.json").write_text('{"version": "1.2.0"}', encoding="utf-8")
    (episodes / "one.0123456789.epub").write_bytes(b"PK")
    (episodes / "one.html").write_text("<!doctype html><title>One</title>\n", encoding="utf-8")
    (episodes / ".draft.mp3").write_bytes(MP3)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (out / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (out / "linked-dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (out / "inside-link.mp3").symlink_to(episodes / "one.mp3")
    return out


@contextmanager
def serving(out: Path, idle_timeout: float = IDLE_TIMEOUT) -> Iterator[int]:
    """A server for ``out`` on a free loopback port, in a thread, stopped afterwards."""
    server = make_server(out, "127.0.0.1", 0, idle_timeout=idle_timeout)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def port(out: Path) -> Iterator[int]:
    with serving(out) as bound:
        yield bound


def request(port: int, path: str, method: str = "GET", **headers: str) -> Reply:
    """Send ``path`` exactly as given (no client-side normalising) and read the reply."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_get_sends_the_whole_file(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3")
    assert status == 200
    assert body == MP3
    assert headers["Content-Length"] == str(len(MP3))
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes"


def test_head_has_headers_and_no_body(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", "HEAD")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(MP3))
    assert headers["Content-Type"] == "audio/mpeg"


@pytest.mark.parametrize(
    ("byte_range", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=-100", len(MP3) - 100, len(MP3) - 1),
        ("bytes=5000-", 5000, len(MP3) - 1),
    ],
)
def test_byte_ranges_give_206_with_exact_bytes(
    port: int, byte_range: str, first: int, last: int
) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", Range=byte_range)
    assert status == 206
    assert body == MP3[first : last + 1]
    assert headers["Content-Range"] == f"bytes {first}-{last}/{len(MP3)}"
    assert headers["Content-Length"] == str(last + 1 - first)


def test_a_range_past_the_end_is_416(port: int) -> None:
    status, headers, _ = request(port, "/episodes/one.mp3", Range=f"bytes={len(MP3) + 10}-")
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(MP3)}"


def test_an_unchanged_file_is_not_sent_again(port: int) -> None:
    _, headers, _ = request(port, "/feed.xml")
    status, _, body = request(port, "/feed.xml", **{"If-None-Match": headers["ETag"]})
    assert status == 304
    assert body == b""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/episodes/one.mp3", "audio/mpeg"),
        ("/episodes/one.vtt", "text/vtt; charset=utf-8"),
        ("/episodes/one.chapters.json", "application/json+chapters"),
        ("/episodes/one.0123456789.epub", "application/epub+zip"),
        ("/episodes/one.html", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/player.js", "text/javascript; charset=utf-8"),
        ("/cover.jpg", "image/jpeg"),
        ("/cover.png", "image/png"),
    ],
)
def test_content_types(port: int, path: str, expected: str) -> None:
    status, headers, _ = request(port, path)
    assert status == 200
    assert headers["Content-Type"] == expected
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert content_type(path.rsplit("/", 1)[1]) == expected


@pytest.mark.parametrize(
    "path", ["/episodes/one.vtt", "/episodes/one.chapters.json", "/feed.xml", "/missing"]
)
def test_every_response_allows_other_origins(port: int, path: str) -> None:
    _, headers, _ = request(port, path, Origin="https://player.example.org")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_root_serves_the_index_and_folders_redirect(port: int) -> None:
    status, headers, body = request(port, "/")
    assert status == 200
    assert body.startswith(b"<!doctype html><title>Show")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, headers, _ = request(port, "/episodes")
    assert status == 301
    assert headers["Location"].endswith("/episodes/")
    status, headers, _ = request(port, "//episodes")
    assert status == 301
    assert headers["Location"].endswith("/episodes/")  # same host, not a host called "episodes"
    assert "//episodes" not in headers["Location"]
    status, _, body = request(port, "/episodes/")
    assert status == 404  # no index.html there, and no listing either
    assert b"one.mp3" not in body


def test_without_an_index_the_root_points_at_the_feed(out: Path) -> None:
    (out / "index.html").unlink()
    with serving(out) as port:
        status, _, body = request(port, "/")
        assert status == 404
        assert b"/feed.xml" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/episodes/../../secret.txt",
        "/episodes/%2e%2e/%2e%2e/secret.txt",
        "/episodes/%2e%2e/%2e%2e/etc/passwd",
        "/episodes/..%2f..%2fsecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/link-out.txt",
        "/linked-dir/secret.txt",
        "/linked-dir/",
        "http://127.0.0.1/../secret.txt",
    ],
)
def test_nothing_outside_the_folder_is_served(port: int, path: str) -> None:
    status, _, body = request(port, path)
    assert status in (403, 404)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_a_symlink_within_the_folder_is_served(port: int) -> None:
    status, _, body = request(port, "/inside-link.mp3")
    assert status == 200
    assert body == MP3


@pytest.mark.parametrize(
    "path",
    ["/.msaudio-build.json", "/episodes/.draft.mp3", "/%2emsaudio-build.json", "/.git/config"],
)
def test_hidden_files_are_not_served(port: int, path: str) -> None:
    status, _, body = request(port, path)
    assert status == 404
    assert b"format" not in body


def test_only_get_and_head(port: int) -> None:
    status, headers, _ = request(port, "/feed.xml", "POST")
    assert status == 405
    assert set(headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    status, headers, _ = request(port, "/episodes/one.mp3", "OPTIONS")
    assert status == 204
    assert "Range" in headers["Access-Control-Allow-Headers"]


def test_an_unbuilt_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no feed.xml here; run 'msaudio build' first"):
        make_server(tmp_path, "127.0.0.1", 0)


def test_a_busy_port_is_a_config_error(out: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"cannot listen on 127.0.0.1:{taken}"):
            make_server(out, "127.0.0.1", taken)


def test_the_cli_reports_an_unbuilt_folder_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "serve", str(tmp_path / "public"), "--port", "0")
    assert code == 2
    assert (
        err.strip() == f"error: {tmp_path / 'public'}: no feed.xml here; run 'msaudio build' first"
    )


def test_urls_for_this_machine_and_the_network() -> None:
    assert base_urls("127.0.0.1", 8000) == ("http://127.0.0.1:8000/", None)
    assert base_urls("localhost", 8000) == ("http://localhost:8000/", None)
    assert base_urls("192.168.1.20", 8080) == (
        "http://192.168.1.20:8080/",
        "http://192.168.1.20:8080/",
    )
    here, lan = base_urls("0.0.0.0", 8000)
    assert here == "http://127.0.0.1:8000/"
    assert lan is not None
    assert lan == f"http://{lan_address()}:8000/"
    assert lan_address() and "/" not in lan_address()


def test_an_output_folder_that_is_itself_a_symlink_still_serves(tmp_path: Path, out: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(out, target_is_directory=True)
    with serving(alias) as port:
        status, _, body = request(port, "/episodes/one.mp3", Range="bytes=0-9")
        assert status == 206
        assert body == MP3[:10]


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send ``data`` on a bare socket and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(data)
        raw.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize(
    "line",
    [
        b"\x16\x03\x01\x02\x00 not http at all\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /feed.xml\r\n\r\n",  # HTTP/0.9: a body with no status line before it
        b"GET /feed.xml HTTP/1.1 extra\r\n\r\n",
        b"GET /feed.xml HTTX/1.1\r\n\r\n",
    ],
)
def test_a_garbage_request_line_gets_a_400_with_a_status_line(port: int, line: bytes) -> None:
    reply = raw_exchange(port, line)
    assert reply.startswith((b"HTTP/1.1 400 ", b"HTTP/1.0 400 "))
    assert b"<rss" not in reply


def test_an_overlong_request_target_is_414_with_a_status_line(port: int) -> None:
    reply = raw_exchange(port, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith((b"HTTP/1.1 414 ", b"HTTP/1.0 414 "))


@pytest.mark.parametrize(
    "path", ["/" + "a" * 256, "/episodes/" + "%C3%A9" * 200 + ".mp3", "/a" + "/" + "b" * 250 * 20]
)
def test_a_name_too_long_for_the_file_system_is_404(port: int, path: str) -> None:
    status, headers, body = request(port, path)
    assert status == 404
    assert headers["Content-Length"] == str(len(body))


def test_a_suffix_range_longer_than_the_file_is_the_whole_file(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", Range=f"bytes=-{len(MP3) * 3}")
    assert status == 206
    assert body == MP3
    assert headers["Content-Range"] == f"bytes 0-{len(MP3) - 1}/{len(MP3)}"
    assert headers["Content-Length"] == str(len(MP3))


def test_a_range_that_runs_past_the_end_stops_at_the_end(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", Range="bytes=10000-99999")
    assert status == 206
    assert body == MP3[10000:]
    assert headers["Content-Range"] == f"bytes 10000-{len(MP3) - 1}/{len(MP3)}"


@pytest.mark.parametrize(
    "byte_range",
    [
        "items=0-9",  # an unknown unit is ignored
        "bytes=0-9,20-29",  # several ranges: the server may ignore Range, and does
        "bytes=0-9,-5",
        "bytes=9-0",  # not a valid range-spec: ignored
        "bytes=abc",
    ],
)
def test_a_range_the_server_ignores_gives_the_whole_file(port: int, byte_range: str) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", Range=byte_range)
    assert status == 200
    assert body == MP3
    assert headers["Content-Length"] == str(len(MP3))
    assert "Content-Range" not in headers


def test_head_ignores_range_and_sends_no_body(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", "HEAD", Range="bytes=0-9")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(MP3))


def validators(port: int, path: str = "/episodes/one.mp3") -> tuple[str, str]:
    _, headers, _ = request(port, path, "HEAD")
    return headers["ETag"], headers["Last-Modified"]


def test_if_range_with_the_current_etag_or_date_gives_the_range(port: int) -> None:
    etag, modified = validators(port)
    assert not etag.startswith("W/")
    for validator in (etag, modified):
        status, _, body = request(
            port, "/episodes/one.mp3", Range="bytes=0-9", **{"If-Range": validator}
        )
        assert status == 206
        assert body == MP3[:10]


@pytest.mark.parametrize("kind", ["weak", "other", "old date", "garbage"])
def test_if_range_that_does_not_hold_gives_the_whole_file(port: int, kind: str) -> None:
    etag, _ = validators(port)
    value = {
        "weak": f"W/{etag}",  # weak validators never match in If-Range
        "other": '"not-the-etag"',
        "old date": http_date(time.time() - 86400 * 400),
        "garbage": "whenever",
    }[kind]
    status, headers, body = request(
        port, "/episodes/one.mp3", Range="bytes=0-9", **{"If-Range": value}
    )
    assert status == 200
    assert body == MP3
    assert headers["Content-Length"] == str(len(MP3))


def test_a_failed_if_match_is_412_without_the_file(port: int) -> None:
    status, headers, body = request(port, "/episodes/one.mp3", **{"If-Match": '"other"'})
    assert status == 412
    assert body == b""
    assert headers["Content-Length"] == "0"
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_if_match_compares_strongly(port: int) -> None:
    etag, _ = validators(port)
    for value in (etag, f'"x", {etag}', "*"):
        status, _, body = request(port, "/episodes/one.mp3", **{"If-Match": value})
        assert (status, body) == (200, MP3)
    status, _, _ = request(port, "/episodes/one.mp3", **{"If-Match": f"W/{etag}"})
    assert status == 412


def test_if_unmodified_since_a_date_before_the_change_is_412(out: Path, port: int) -> None:
    mp3 = out / "episodes" / "one.mp3"
    changed = time.time() - 3600
    os.utime(mp3, (changed, changed))
    before, after = http_date(changed - 60), http_date(changed + 60)
    status, _, body = request(port, "/episodes/one.mp3", **{"If-Unmodified-Since": before})
    assert (status, body) == (412, b"")
    status, _, body = request(port, "/episodes/one.mp3", **{"If-Unmodified-Since": after})
    assert (status, body) == (200, MP3)
    # Only without If-Match: a matching If-Match wins over the date.
    etag, _ = validators(port)
    headers = {"If-Unmodified-Since": before, "If-Match": etag}
    status, _, body = request(port, "/episodes/one.mp3", **headers)
    assert (status, body) == (200, MP3)


def test_if_none_match_compares_weakly_for_get_and_head(port: int) -> None:
    etag, _ = validators(port)
    for method in ("GET", "HEAD"):
        for value in (etag, f"W/{etag}", f'"x", {etag}', "*"):
            status, headers, body = request(
                port, "/episodes/one.mp3", method, **{"If-None-Match": value}
            )
            assert (status, body) == (304, b"")
            assert headers["ETag"] == etag
    status, _, body = request(port, "/episodes/one.mp3", **{"If-None-Match": '"x"'})
    assert (status, body) == (200, MP3)


def test_if_modified_since_counts_only_without_if_none_match(port: int) -> None:
    _, modified = validators(port)
    status, _, body = request(port, "/episodes/one.mp3", **{"If-Modified-Since": modified})
    assert (status, body) == (304, b"")
    old = http_date(time.time() - 86400 * 400)
    status, _, body = request(port, "/episodes/one.mp3", **{"If-Modified-Since": old})
    assert (status, body) == (200, MP3)
    headers = {"If-Modified-Since": modified, "If-None-Match": '"x"'}
    status, _, body = request(port, "/episodes/one.mp3", **headers)
    assert (status, body) == (200, MP3)


def test_a_half_sent_request_is_dropped_without_blocking_others(out: Path) -> None:
    with serving(out, idle_timeout=0.3) as port:
        stalled = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]
        try:
            for raw in stalled:
                raw.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            status, _, body = request(port, "/feed.xml")
            assert status == 200
            assert body.startswith(b"<rss")
            for raw in stalled:
                assert raw.recv(65536) == b""  # closed by the server; a hang fails on timeout
        finally:
            for raw in stalled:
                raw.close()


def test_an_idle_kept_alive_connection_is_dropped(out: Path) -> None:
    with (
        serving(out, idle_timeout=0.3) as port,
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
    ):
        raw.sendall(b"HEAD /feed.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reply = b""
        while chunk := raw.recv(65536):
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("port_value", ["70000", "-1", "http"])
def test_the_cli_refuses_a_port_out_of_range(
    out: Path, capsys: pytest.CaptureFixture[str], port_value: str
) -> None:
    code, _, err = run_cli(capsys, "serve", str(out), "--port", port_value)
    assert code == 2
    assert "Invalid value for '--port'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("host", ["not a host", "unix:///tmp/sock", "300.1.1.1", "a..b"])
def test_the_cli_refuses_a_malformed_host(
    out: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code, _, err = run_cli(capsys, "serve", str(out), "--host", host, "--port", "0")
    assert code == 2
    assert "Invalid value for '--host'" in err
