"""RFC 9110 conditional requests and byte ranges for one static file.

werkzeug parses the header fields (``parse_etags``, ``parse_date``,
``parse_range_header``), but its ``make_conditional`` departs from the RFC in
the order of evaluation (§13.2.2), in If-Range (weak tags match, §13.1.5) and
in suffix ranges longer than the file (§14.1.3), so the decision is made here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from werkzeug.datastructures import Headers
from werkzeug.http import http_date, parse_date, parse_etags, parse_range_header, unquote_etag


@dataclass(frozen=True)
class Validators:
    """What a file is compared with: its entity tag, modification time and size."""

    etag: str
    """A strong entity tag, unquoted."""
    last_modified: datetime
    """In UTC, whole seconds, as the ``Last-Modified`` field says it."""
    size: int
    """In bytes."""

    @classmethod
    def of(cls, stat: os.stat_result) -> Validators:
        # Builds replace files by renaming, so size and mtime change with the content.
        modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
        return cls(f"{stat.st_size:x}-{stat.st_mtime_ns:x}", modified, stat.st_size)

    def headers(self) -> dict[str, str]:
        """``ETag`` and ``Last-Modified``, for 200, 206 and 304 responses."""
        return {"ETag": f'"{self.etag}"', "Last-Modified": http_date(self.last_modified)}


@dataclass(frozen=True)
class Decision:
    """The status to answer with and, for 200 and 206, the bytes ``[start, stop)`` to send."""

    status: int
    start: int = 0
    stop: int = 0

    def content_range(self, size: int) -> str | None:
        """The ``Content-Range`` field of a 206 or 416, else None."""
        if self.status == 206:
            return f"bytes {self.start}-{self.stop - 1}/{size}"
        if self.status == 416:
            return f"bytes */{size}"
        return None


def decide(method: str, headers: Headers, file: Validators) -> Decision:
    """The answer to a ``GET`` or ``HEAD`` of ``file``, in the order of RFC 9110 §13.2.2."""
    if_match = headers.get("If-Match")
    if if_match is not None:
        if not parse_etags(if_match).contains(file.etag):  # strong comparison
            return Decision(412)
    elif _modified_after(file, headers.get("If-Unmodified-Since")):
        return Decision(412)
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        if parse_etags(if_none_match).contains_weak(file.etag):
            return Decision(304)
    else:
        since = parse_date(headers.get("If-Modified-Since"))
        if since is not None and file.last_modified <= since:
            return Decision(304)
    whole = Decision(200, 0, file.size)
    header = headers.get("Range")
    if method != "GET" or header is None:  # range handling is defined for GET only (§14.2)
        return whole
    if_range = headers.get("If-Range")
    if if_range is not None and not _if_range_holds(if_range, file):
        return whole
    return _byte_range(header, file.size) or whole


def _modified_after(file: Validators, value: str | None) -> bool:
    since = parse_date(value)
    return since is not None and file.last_modified > since


def _if_range_holds(value: str, file: Validators) -> bool:
    """§13.1.5: a strong tag that matches exactly, or the exact modification date."""
    value = value.strip()
    if value.startswith("W/"):
        return False  # a weak validator never matches here
    if value.startswith('"'):
        tag, weak = unquote_etag(value)
        return not weak and tag == file.etag
    return parse_date(value) == file.last_modified


def _byte_range(header: str, size: int) -> Decision | None:
    """A 206 or 416 for one byte range, or None when the header is to be ignored.

    Other units, several ranges and invalid syntax are ignored (§14.2 lets a
    server ignore Range): the whole file is sent, which every client handles.
    """
    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        return None
    start, stop = parsed.ranges[0]
    if start < 0:  # a suffix: the last -start bytes, or all of them if the file is shorter
        start, stop = max(size + start, 0), size
    else:
        stop = size if stop is None else min(stop, size)
    if start >= size:
        return Decision(416)
    return Decision(206, start, stop)
