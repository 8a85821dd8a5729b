"""HTTP GET for ``msaudio fetch``: timeouts, a few retries with exponential backoff, an
honest User-Agent, a size limit, and every failure one :class:`FetchError` naming the URL.

urllib3 does the work (it is already installed under trafilatura and requests, and its
``Retry`` has the backoff, the retried statuses and ``Retry-After``); this module only sets
it up and turns its exceptions into one line each.
"""

from __future__ import annotations

import email.message
import functools
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    ResponseError,
    SSLError,
)
from urllib3.util.retry import Retry

from msaudio import __version__
from msaudio.errors import FetchError

TIMEOUT = 20.0
"""Seconds to wait for a connection, and then for each read, before giving up."""

RETRIES = 3
"""Tries after the first one, for a failed connection, a timeout or a retried status."""

BACKOFF = 1.0
"""Backoff factor: urllib3 retries the first failure at once, then waits 2 s, then 4 s."""

RETRY_AFTER_MAX = 30
"""Longest ``Retry-After`` honoured, in seconds; a server asking for longer gets no more tries."""

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses that say "try again later"; any other error status is final."""

MAX_BYTES = 16 * 2**20
"""Biggest response read: the size of the biggest article file ``build`` reads."""

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.1"
)


@dataclass(frozen=True)
class Response:
    """A successful response, read whole."""

    url: str
    """Where the body came from, after redirects."""

    content_type: str
    """The media type without parameters, lower case (``text/html``); empty when not given."""

    charset: str | None
    """The ``charset`` parameter of ``Content-Type``, when given."""

    body: bytes


@functools.cache
def user_agent() -> str:
    """``msaudio/<version> (+<project URL>)``: who is asking, and where to read about it.

    The URL is the package's ``Homepage`` project URL; without one the product alone is sent,
    rather than an address that does not belong to the project.
    """
    try:
        urls = metadata.metadata("msaudio").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    home = next(
        (u.split(",", 1)[1].strip() for u in urls if u.lower().startswith("homepage,")), None
    )
    return f"msaudio/{__version__} (+{home})" if home else f"msaudio/{__version__}"


class HttpClient:
    """GETs with the settings above; ``backoff`` and ``timeout`` are short in tests."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=5,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRIED_STATUSES,
            backoff_factor=backoff,
            retry_after_max=RETRY_AFTER_MAX,
            raise_on_status=True,
        )
        self._pool = urllib3.PoolManager(
            headers={"User-Agent": user_agent(), "Accept": ACCEPT},
            retries=retry,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
        )

    def get(self, url: str) -> Response:
        """The body at ``url``; a :class:`FetchError` ``url: problem`` when there is none."""
        try:
            response = self._pool.request("GET", url, preload_content=False)
        except MaxRetryError as error:
            raise FetchError(f"{url}: {self._problem(error.reason)}") from None
        except (HTTPError, ValueError) as error:  # a malformed URL, a broken response
            raise FetchError(f"{url}: {self._problem(error)}") from None
        try:
            if response.status >= 400:
                raise FetchError(f"{url}: HTTP {response.status} {response.reason or ''}")
            body = response.read(self.max_bytes + 1)
        except HTTPError as error:
            raise FetchError(f"{url}: {self._problem(error)}") from None
        finally:
            response.release_conn()
        if len(body) > self.max_bytes:
            raise FetchError(f"{url}: more than {self.max_bytes // 2**20} MB; not an article")
        header = email.message.Message()
        header["content-type"] = response.headers.get("Content-Type", "")
        charset = header.get_param("charset")
        return Response(
            url=_final_url(url, response.retries),
            content_type=header.get_content_type() if header["content-type"] else "",
            charset=charset if isinstance(charset, str) else None,
            body=body,
        )

    def _problem(self, reason: BaseException | None) -> str:
        """What went wrong, in words a producer can act on."""
        # urllib3 makes NewConnectionError (and NameResolutionError) a ConnectTimeoutError
        if isinstance(reason, NameResolutionError):
            return "unknown host (check the address, or the network connection)"
        if isinstance(reason, NewConnectionError):
            return "cannot connect (the server is down or the address is wrong)"
        if isinstance(reason, ConnectTimeoutError | ReadTimeoutError):
            return f"timed out (no answer within {self.timeout:g} s)"
        if isinstance(reason, SSLError):
            return f"secure connection failed ({reason})"
        if isinstance(reason, ResponseError):
            return f"the server kept failing ({reason})"
        return f"request failed ({reason})"


def _final_url(url: str, retries: Retry | None) -> str:
    """Where the redirects that led to the response ended (urllib3 keeps only the path)."""
    for step in retries.history if retries is not None else ():
        if step.redirect_location:
            url = urljoin(url, step.redirect_location)
    return url
