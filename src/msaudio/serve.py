"""``msaudio serve``: the output folder over HTTP, for podcast apps and browsers nearby.

A small WSGI app on werkzeug's threaded server. ``GET`` and ``HEAD`` follow
RFC 9110 on byte ranges and conditional requests (see
:mod:`msaudio.http_conditional`), so players can seek and resume. Only
regular, visible files inside the output folder are served: ``..`` (also
percent-encoded), hidden names such as ``.msaudio-build.json``, names the
file system cannot hold and symlinks that lead out of the folder all get
``404``. A connection idle for ``idle_timeout`` seconds, even halfway through
a request, is closed.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.security import safe_join
from werkzeug.serving import (
    BaseWSGIServer,
    WSGIRequestHandler,
    select_address_family,
)
from werkzeug.serving import make_server as _werkzeug_server
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from msaudio.errors import ConfigError
from msaudio.http_conditional import Validators, decide
from msaudio.publish.feed import FEED_NAME
from msaudio.publish.pages import INDEX_NAME

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

METHODS = ("GET", "HEAD")
IDLE_TIMEOUT = 10.0
"""Seconds a connection may send nothing (mid-request or between requests) before it is closed."""
CHUNK = 64 * 1024

TYPES = {
    ".mp3": "audio/mpeg",
    ".epub": "application/epub+zip",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
"""Content types by suffix; see :func:`content_type` for the names that differ."""

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges",
}
"""On every response: web players on other origins may fetch transcripts and chapters."""

RequestLog = Callable[[str], None]


def content_type(name: str) -> str:
    """The ``Content-Type`` for a file called ``name``."""
    lowered = name.lower()
    if lowered == FEED_NAME:
        return "application/rss+xml; charset=utf-8"
    if lowered.endswith(".chapters.json"):
        return "application/json+chapters"
    suffix = os.path.splitext(lowered)[1]
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, _ = mimetypes.guess_type(lowered)
    return guessed or "application/octet-stream"


class StaticFolder:
    """WSGI app serving the visible regular files under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.respond(request)
        except HTTPException as error:
            response = error.get_response(environ)
        response.headers.update(CORS_HEADERS)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        """The response to one request; raises werkzeug's HTTP errors."""
        if request.method == "OPTIONS":
            return Response(
                status=204,
                headers={
                    "Allow": ", ".join(METHODS),
                    "Access-Control-Allow-Methods": ", ".join(METHODS),
                    "Access-Control-Allow-Headers": "Range",
                },
            )
        if request.method not in METHODS:
            raise MethodNotAllowed(valid_methods=METHODS)
        path = request.path
        target = self.resolve(path)
        if target.is_dir():
            if not path.endswith("/"):
                # Rebuilt from the segments: "//name" must not become a redirect off-site.
                clean = "/".join(part for part in path.split("/") if part)
                return redirect(f"/{clean}/", code=301)
            if not (target / INDEX_NAME).is_file():
                raise NotFound(f"No {INDEX_NAME} here; the podcast feed is at /{FEED_NAME}.")
            target = self.resolve(path + INDEX_NAME)
        return self.send(request, target)

    def send(self, request: Request, target: Path) -> Response:
        """The file ``target``: whole, one byte range, or a status without it."""
        try:
            handle = target.open("rb")
        except OSError:
            raise NotFound from None
        file = Validators.of(os.fstat(handle.fileno()))
        decision = decide(request.method, request.headers, file)
        headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-cache"}
        content_range = decision.content_range(file.size)
        if content_range is not None:
            headers["Content-Range"] = content_range
        if decision.status not in (200, 206):
            handle.close()
            if decision.status == 304:
                headers.update(file.headers())
            # A 412 or 416 carries no part of the file (werkzeug strips the length from a 304).
            return Response(b"", status=decision.status, headers=headers)
        headers.update(file.headers())
        headers["Content-Type"] = content_type(target.name)
        headers["Content-Length"] = str(decision.stop - decision.start)
        headers["X-Content-Type-Options"] = "nosniff"
        body = FileSlice(handle, decision.start, decision.stop)
        return Response(body, status=decision.status, headers=headers)

    def resolve(self, url_path: str) -> Path:
        """The file or folder ``url_path`` names, or :class:`NotFound`.

        ``url_path`` is already percent-decoded. Every segment must be visible
        (not starting with ``.``, which also rules out ``..``), and the real
        path, symlinks followed, must stay inside the folder.
        """
        segments = [part for part in url_path.split("/") if part]
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in segments):
            raise NotFound
        joined = safe_join(str(self.root), *segments) if segments else str(self.root)
        if joined is None:
            raise NotFound
        try:
            real = Path(joined).resolve()
            if not real.is_relative_to(self.root):
                raise NotFound
            if any(part.startswith(".") for part in real.relative_to(self.root).parts):
                raise NotFound
            if not (real.is_file() or real.is_dir()):
                raise NotFound
        except OSError:
            raise NotFound from None  # a name too long for the file system names no file
        return real


class FileSlice:
    """The bytes ``[start, stop)`` of an open file as a WSGI body; the server closes it.

    A generator would leave the file open when never iterated (``HEAD``).
    """

    def __init__(self, handle: IO[bytes], start: int, stop: int) -> None:
        self.handle, self.start, self.stop = handle, start, stop

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.start)
        left = self.stop - self.start
        while left > 0:
            chunk = self.handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


def make_server(
    out_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: RequestLog | None = None,
    idle_timeout: float = IDLE_TIMEOUT,
) -> BaseWSGIServer:
    """A threaded HTTP server for ``out_dir``, bound and listening, not yet serving.

    Call ``serve_forever()`` (in a thread if need be), then ``shutdown()`` and
    ``server_close()``; ``server_port`` is the port actually bound (useful with
    port 0). ``log`` receives one line per request. A connection that sends
    nothing for ``idle_timeout`` seconds is closed (slow clients each have a
    thread, so they never hold up others). Raises
    :class:`ConfigError` when there is no ``feed.xml`` to serve or the address
    cannot be bound.
    """
    if not (out_dir / FEED_NAME).is_file():
        raise ConfigError("no feed.xml here; run 'msaudio build' first", out_dir)
    family = select_address_family(host, port)
    try:
        listener = socket.create_server((host, port), family=family)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"cannot listen on {host}:{port}: {reason}; try another --port") from None
    # werkzeug would print and exit on a bind error, so it gets a bound socket.
    with listener:
        server = _werkzeug_server(
            host,
            port,
            StaticFolder(out_dir),
            threaded=True,
            request_handler=_handler(log, idle_timeout),
            fd=listener.fileno(),
        )
    server.server_port = server.port
    return server


def _handler(log: RequestLog | None, idle_timeout: float) -> type[WSGIRequestHandler]:
    """A request handler that reports to ``log`` instead of the logging module."""

    class Handler(WSGIRequestHandler):
        timeout = idle_timeout  # socketserver sets it on each connection's socket
        # http.server would answer a bad request line in HTTP/0.9: a body with no status line.
        default_request_version = "HTTP/1.0"

        def parse_request(self) -> bool:
            if len(self.raw_requestline.split()) != 3:  # method, target, version; no HTTP/0.9
                self.command, self.request_version = "", "HTTP/1.0"
                self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
                self.close_connection = True
                self.send_error(400, "Bad request line")
                return False
            return bool(super().parse_request())

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if log is not None:
                path = getattr(self, "path", "") or self.requestline
                shown = "".join(c if c.isprintable() else "?" for c in path)
                log(f"{self.command or '-'} {shown} {code}")

        def log(self, type: str, message: str, *args: Any) -> None:
            if log is not None and type == "error":
                log(message % args if args else message)

    return Handler


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


def listen_host(host: str) -> str | None:
    """``host`` as the socket wants it (an IPv6 address loses its brackets), or None if malformed.

    An IP address, a host name of RFC 1123 labels, or "" (every address).
    """
    if not host:
        return host
    try:
        return str(ipaddress.ip_address(host[1:-1] if host.startswith("[") else host))
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return None if labels[-1].isdigit() else host  # "300.1.1.1" is a mistyped address


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means every address of this machine."""
    return host in ("", "0.0.0.0", "::", "[::]")


def lan_address() -> str:
    """This machine's address on the local network, found without sending anything.

    Connecting a UDP socket only picks the outgoing interface for a route (here
    to a private address); no packet leaves. Without any route, the host name.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if address and not ipaddress.ip_address(address).is_unspecified:
        return address
    return socket.gethostname()


def base_urls(host: str, port: int) -> tuple[str, str | None]:
    """The server's base URL on this machine, and on the local network when it listens there."""
    if is_wildcard(host):
        return f"http://127.0.0.1:{port}/", f"http://{_url_host(lan_address())}:{port}/"
    here = f"http://{_url_host(host)}:{port}/"
    return here, (None if is_loopback(host) else here)


def published_base(out_dir: Path) -> str | None:
    """The base URL the built feed points at (its ``atom:link rel="self"`` minus ``feed.xml``)."""
    from lxml import etree

    try:
        tree = etree.parse(str(out_dir / FEED_NAME), etree.XMLParser(resolve_entities=False))
    except (OSError, etree.XMLSyntaxError):
        return None
    for link in tree.iterfind("channel/{http://www.w3.org/2005/Atom}link"):
        href = link.get("href")
        if link.get("rel") == "self" and href:
            return href.rsplit("/", 1)[0] + "/"
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
