"""An e-mail message (``.eml``) → :class:`~msaudio.model.Article`, with the standard library.

The message is parsed with :mod:`email` (``policy.default``: RFC 2047 headers
decoded, quoted-printable and base64 bodies undone). Its HTML body (the HTML
alternative of ``multipart/alternative``, the root of ``multipart/related``) is
read as a web page once its mail furniture is out
(:mod:`msaudio.sources.eml_chrome`); a message without one has its plain text
read as a pasted newsletter is, its signature (after the ``-- `` line) left out.
The subject is the title (a ``Fwd:`` or ``Re:`` before it is not), the sender's
name the credit, and the ``Date`` header the article's date.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.errors
import re
from dataclasses import replace
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

from msaudio.errors import ArticleError
from msaudio.model import Article
from msaudio.sources.common import clean_text, drop_boilerplate, has_url
from msaudio.sources.decode import decode_bytes, tidy_text
from msaudio.sources.eml_chrome import is_mail_furniture, prepare_newsletter
from msaudio.sources.html import parse_html
from msaudio.sources.txt import parse_txt

_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
"""The signature separator of RFC 3676 (some clients drop its trailing space)."""
_WESTERN = frozenset({"ascii", "iso8859-1"})
"""Charsets that mail clients, like browsers, read as windows-1252."""
_ERRORS = (
    ValueError, LookupError, TypeError, IndexError, AttributeError, email.errors.MessageError,
)  # fmt: skip
"""What the email package raises on a message it cannot make sense of."""


def parse_eml(data: bytes, path: Path) -> Article:
    """Read the e-mail message ``data`` from ``path``."""
    try:
        message = email.message_from_bytes(data, policy=policy.default)
        if not isinstance(message, EmailMessage) or not message.keys():
            raise ArticleError("not an e-mail message (it has no header lines)", path)
        subject = _subject(message)
        sender = _sender(message)
        date = _date(message)
        html, text = _bodies(message, path)
    except _ERRORS as error:
        raise ArticleError(f"cannot read e-mail message: {error}", path) from None
    if html is not None:
        article = parse_html(prepare_newsletter(html, subject, sender), path)
        kept, _ = drop_boilerplate(article.blocks, structural=True)
        if not kept:
            raise ArticleError("no readable text in the e-mail after its mail furniture", path)
        article = replace(article, blocks=tuple(kept))
    elif text is not None:
        article = parse_txt(_plain(text, subject), path)
    else:
        raise ArticleError("e-mail message has no readable body (no text or HTML part)", path)
    return replace(
        article,
        title=subject or article.title,
        credit=sender or article.credit,
        date=date or article.date,
    )


def _subject(message: EmailMessage) -> str | None:
    subject = clean_text(str(message.get("subject", "")))
    return clean_text(_REPLY_PREFIX.sub("", subject)) or None


def _sender(message: EmailMessage) -> str | None:
    """The display name of the first sender (``"MS Group" <news@…>`` → ``MS Group``)."""
    header = message.get("from")
    addresses = getattr(header, "addresses", ())
    names = (clean_text(address.display_name) for address in addresses)
    return next((name for name in names if name and "@" not in name), None)


def _date(message: EmailMessage) -> dt.date | None:
    header = message.get("date")
    when = getattr(header, "datetime", None)
    return when.date() if isinstance(when, dt.datetime) else None


def _bodies(message: EmailMessage, path: Path) -> tuple[str | None, str | None]:
    """The HTML body and the plain-text body, decoded; ``None`` for one the message lacks."""
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    return _decoded(html, path), _decoded(text, path)


def _decoded(part: Message | None, path: Path) -> str | None:
    """A body part's text by its declared charset, else as a file's would be told."""
    if part is None:
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return None
    text: str | None = None
    charset = part.get_content_charset()
    if charset:
        try:
            name = codecs.lookup(charset).name
            text = payload.decode("cp1252" if name in _WESTERN else name)
        except (LookupError, UnicodeDecodeError):
            text = None  # a charset mislabelled or unknown: told from the bytes instead
    if text is None:
        text = decode_bytes(payload, path)
    text = tidy_text(text)
    return text if text.strip() else None


def _plain(text: str, subject: str | None) -> str:
    """A plain-text body as the text reader takes it: the subject as its title line, the
    signature and the mailing list's lines left out."""
    signature = _SIGNATURE.search(text)
    if signature is not None:
        text = text[: signature.start()]
    lines = [
        line for line in text.splitlines() if not is_mail_furniture(line, linked=has_url(line))
    ]
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if subject and first < len(lines) and clean_text(lines[first]).casefold() == subject.casefold():
        del lines[first]  # the subject repeated as the body's first line
    body = "\n".join(lines).strip("\n")
    return f"{subject}\n\n{body}" if subject else body
