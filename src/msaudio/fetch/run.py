"""``msaudio fetch``: feeds and pages → new HTML files in ``episodes/``.

Everything is fetched first and only then written (:func:`~msaudio.fetch.save.save_all`),
so a failure anywhere leaves ``episodes/`` and the record as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from msaudio.config import ShowConfig
from msaudio.errors import ArticleError, FetchError
from msaudio.fetch.document import item_document, page_document
from msaudio.fetch.feeds import Item, feed_items
from msaudio.fetch.http import HttpClient, Response
from msaudio.fetch.save import Record, Saved, entry_for, file_name, save_all, taken_names
from msaudio.publish.ledger import Ledger
from msaudio.sources import read_article


@dataclass(frozen=True)
class NewArticle:
    """An article saved by this run."""

    path: Path
    """Its file in ``episodes/``."""

    title: str
    published: dt.date | None
    """The date its episode will have (the feed's, else the page's own), when known."""

    url: str | None
    """The address it was read from."""


@dataclass(frozen=True)
class _Found:
    item: Item
    data: bytes
    keys: frozenset[str]
    title: str | None
    date: dt.date | None
    source: str | None


def fetch_articles(
    config: ShowConfig,
    urls: Sequence[str],
    *,
    client: HttpClient | None = None,
    now: dt.datetime | None = None,
) -> list[NewArticle]:
    """Save every article of ``urls`` (feeds or pages) not fetched before; return them.

    Raises :class:`FetchError` (``url: problem``) when anything cannot be fetched or read,
    having written nothing.
    """
    client = client or HttpClient()
    fetched = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    record = Record.load(config.root)
    known = record.keys()
    found: list[_Found] = []
    for url in urls:
        if url in known:
            continue  # a page saved before: not even asked for again
        response = client.get(url)
        items = feed_items(response)
        if items is None:
            if response.url not in known:
                found.append(_page(config, response, Item(link=response.url), fetched, {url}))
                known |= found[-1].keys
            continue
        for item in items:
            if not item.keys & known:
                found.append(_feed_item(config, client, item, fetched))
                known |= found[-1].keys
    taken = taken_names(config.episodes_dir, Ledger.load(config.root).entries, record.names())
    saved, new = [], []
    for article in found:
        item = article.item
        name = file_name(article.title, item.link, item.published, taken)
        entry = entry_for(
            name,
            article.title or "",
            article.keys,
            guid=item.guid,
            feed=item.feed,
            published=item.published,
            fetched=fetched,
        )
        saved.append(Saved(name, article.data, entry))
        new.append(
            NewArticle(
                config.episodes_dir / name, article.title or name, article.date, article.source
            )
        )
    save_all(config.episodes_dir, record, saved)
    return new


def _feed_item(config: ShowConfig, client: HttpClient, item: Item, fetched: dt.datetime) -> _Found:
    """A feed's item: its own content when the feed carries it, else its page."""
    date = item.published.date() if item.published else None
    if item.content is not None:
        data = item_document(item, fetched)
        return _Found(item, data, item.keys, item.title, date, item.link)
    if item.link is None:
        raise FetchError(
            f"{item.feed}: item {item.title or item.guid!r} has no content and no link"
        )
    return _page(config, client.get(item.link), item, fetched, set())


def _page(
    config: ShowConfig, response: Response, item: Item, fetched: dt.datetime, also: set[str]
) -> _Found:
    """A fetched page, annotated with what ``item`` says; read once as ``build`` will read it,
    for its title when the feed gives none (and so that an unreadable page is said now)."""
    data = page_document(response, item, fetched)
    keys = item.keys | also | {response.url}
    title, date = item.title, item.published.date() if item.published else None
    if title is None or date is None:
        try:
            article = read_article(Path("page.html"), data, rules=config.cleanup)
        except ArticleError as error:
            raise FetchError(f"{response.url}: {error.message}") from None
        title, date = title or article.title, date or article.date
    return _Found(item, data, frozenset(keys), title, date, response.url)
