"""``msaudio fetch``: articles from RSS/Atom feeds and web pages, saved into ``episodes/``.

``http`` gets (timeouts, retries, User-Agent), ``feeds`` reads a feed's items, ``document``
makes the HTML file the page reader reads, ``save`` names and writes the files and keeps the
record of what was fetched, ``run`` puts them together. ``build`` never fetches anything.
"""

from msaudio.fetch.run import NewArticle, fetch_articles

__all__ = ["NewArticle", "fetch_articles"]
