"""``msaudio serve``: the output folder over HTTP on this machine."""

from __future__ import annotations

import functools
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from msaudio.errors import ConfigError

TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".jpg": "image/jpeg",
}


class _Handler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_server(out_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    """A server for ``out_dir``; call ``serve_forever()`` on it."""
    if not (out_dir / "feed.xml").is_file():
        raise ConfigError("no feed.xml here; run 'msaudio build' first", out_dir)
    handler = functools.partial(_Handler, directory=str(out_dir))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror}") from None
