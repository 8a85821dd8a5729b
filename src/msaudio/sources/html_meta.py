"""What a web page says about itself: its title, author, date, summary and site name.

From trafilatura's metadata and the page's ``<head>``; a candidate that is only the site's name,
a web address or a bare domain is passed over.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import lxml.html

from msaudio.sources import html_chrome
from msaudio.sources.common import clean_credit, clean_text, has_url
from msaudio.sources.html_chrome import Element, element_text

DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "max_date": "2099-12-31",
}
"""htmldate options: the publication date from markup only, future dates allowed."""

_TITLE_SEPARATORS = (" | ", " \u2013 ", " \u2014 ", " - ", " :: ", " \u00b7 ")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+/?$")


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    summary: str | None = None
    site: str | None = None


def page_meta(document: lxml.html.HtmlElement) -> PageMeta:
    """Title, author, date, description and site name, from trafilatura and the page head."""
    import trafilatura  # imported when a page is read: it takes about 0.1 s

    found = trafilatura.extract_metadata(copy.deepcopy(document), date_config=dict(DATE_PARAMS))
    site = _site_name(found.sitename) or _site_from_title(document)
    author = clean_text(found.author or "")
    return PageMeta(
        title=_title(document, found.title, site),
        author=author if author and not has_url(author) else None,
        date=found.date,
        summary=found.description,
        site=site,
    )


def _title(document: Element, found: str | None, site: str | None) -> str | None:
    """The article title: trafilatura's, else og:title, else ``<title>``, else the first h1.

    A candidate that is only the site's name (trafilatura takes it from
    ``Title – Site`` when the title contains a full stop) is passed over.
    """
    head_title = document.find(".//title")
    h1 = next(document.iter("h1"), None)
    candidates = (
        html_chrome.entry_title(document),
        found,
        _meta_content(document, "og:title"),
        element_text(head_title) if head_title is not None else None,
        element_text(h1) if h1 is not None else None,
    )
    for candidate in candidates:
        title = _strip_site_suffix(clean_text(candidate or ""), site)
        if title and (site is None or title.casefold() != site.casefold()):
            return title
    return None


def _strip_site_suffix(title: str, site: str | None) -> str:
    """``Title | Site name`` → ``Title``; other separators only when the site name follows."""
    if " | " in title:
        return title.split(" | ")[0].strip()
    if site:
        for separator in _TITLE_SEPARATORS:
            head, _, tail = title.rpartition(separator)
            if head and tail.strip().casefold() == site.casefold():
                return head.strip()
    return title


def _site_from_title(document: Element) -> str | None:
    """``<title>Article | Site name</title>`` → ``Site name``, when it is short enough to be one."""
    head_title = document.find(".//title")
    parts = element_text(head_title).split(" | ") if head_title is not None else []
    if len(parts) < 2 or len(parts[-1].split()) > 6:
        return None
    return _site_name(parts[-1])


def _meta_content(document: Element, key: str) -> str | None:
    """The ``content`` of the first ``<meta>`` whose name or property is ``key``."""
    for meta in document.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == key:
            return clean_text(meta.get("content") or "") or None
    return None


def _site_name(raw: str | None) -> str | None:
    """A publication name for the credit; URLs and bare domain names are not names."""
    name = clean_credit(raw) if raw else None
    if not name or has_url(name) or _DOMAIN.match(name):
        return None
    return name
