"""The conventions of e-mail sent or pasted as plain text, taken out before it is read.

Mail clients turn an HTML newsletter into text in a few fixed ways, whatever the
newsletter says:

- a link becomes a marker after its text, ``Donate [3]``, and the addresses follow
  at the end under ``Links:`` as ``[3] https://…`` (a marker is never read; the list
  never is);
- an image becomes ``[Logo]``, ``[image: Two members at the fair]`` or ``[cid:…]``:
  only its description can be a caption, and a placeholder alone is not one, nor
  an image named after the sender (its logo);
- a forwarded message opens with a separator (``---------- Forwarded message
  ---------``, ``Begin forwarded message:``, ``-----Original Message-----``) and a
  block of ``From:``/``Date:``/``Subject:``/``To:`` lines: the subject is the title,
  the rest is not read.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\s?\[\d{1,3}\](?!\()")
_LINKS_HEADING = re.compile(r"^\s*(?:links|references)\s*:?\s*$", re.IGNORECASE)
_LINK_LINE = re.compile(r"^\s*\[\d{1,3}\]\s*(?:\S+://|www\.|mailto:)\S*\s*$", re.IGNORECASE)
_RULE = re.compile(r"^\s*[-=_~*]{3,}\s*$")
_PLACEHOLDER = re.compile(
    r"^\s*\[(?:(?:image|img|cid|picture|photo|graphic)\s*:?\s*[^\]]*|[^\]\s]{1,20}(?:\s[^\]\s]+)?)\]\s*$",
    re.IGNORECASE,
)
_DESCRIBED = re.compile(
    r"^\s*\[(?:image|picture|photo|graphic)\s*:\s*([^\]]{12,})\]\s*$", re.IGNORECASE
)
_FORWARDED = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded|original)\s+message\s*-{2,}|begin\s+forwarded\s+message\s*:?)\s*$",
    re.IGNORECASE,
)
_HEADER = re.compile(
    r"^\s*>?\s*(from|date|sent|subject|to|cc|bcc|reply-to)\s*:\s*(.*)$", re.IGNORECASE
)
_PREVIEW = re.compile(r"^\s*(?:preview|preheader)(?:\s+text)?\s*:", re.IGNORECASE)


def strip_mail_text(text: str) -> tuple[str, str | None]:
    """``text`` without link markers, link lists, image placeholders and forwarded-message
    headers; and the forwarded message's subject, when there is one."""
    lines = text.split("\n")
    lines = _without_link_list(lines)
    subject: str | None = None
    kept: list[str] = []
    index = _past_pasted_headers(lines)
    senders = {_sender(line) for line in lines[:index]}
    while index < len(lines):
        line = lines[index]
        if _FORWARDED.match(line):
            start = index + 1
            index, found = _skip_headers(lines, start)
            subject = subject or found
            senders |= {_sender(line) for line in lines[start:index]}
            continue
        described = _DESCRIBED.match(line)
        if described and described.group(1).strip().casefold() in senders:
            pass  # the sender's logo, named after it: no caption
        elif described:
            caption = described.group(1).strip()
            kept.append(caption if caption.endswith((".", "!", "?")) else f"{caption}.")
        elif not _PLACEHOLDER.match(line):
            kept.append(_MARKER.sub("", line))
        index += 1
    return "\n".join(kept), subject


def _sender(line: str) -> str | None:
    """The sender's name of a ``From:`` header line (``From: Name <address>``), case folded."""
    header = _HEADER.match(line)
    if header is None or header.group(1).lower() != "from":
        return None
    return header.group(2).split("<")[0].strip().strip('"').casefold() or None


def _without_link_list(lines: list[str]) -> list[str]:
    """The lines before a trailing ``Links:`` list of ``[n] address`` lines."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or _LINK_LINE.match(lines[end - 1])):
        end -= 1
    if end == len(lines) or not any(_LINK_LINE.match(line) for line in lines[end:]):
        return lines
    while end and _RULE.match(lines[end - 1]):
        end -= 1
    if end and _LINKS_HEADING.match(lines[end - 1]):
        end -= 1
    return lines[:end]


def _past_pasted_headers(lines: list[str]) -> int:
    """Past the header lines a message copied whole begins with ("From: ...", "Subject: ...",
    a "Preview: ..." line): two or more, before anything else. Its subject is the letter's
    envelope, not the article's title, which the letter gives again."""
    index = 0
    while index < len(lines) and (_HEADER.match(lines[index]) or _PREVIEW.match(lines[index])):
        index += 1
    return index if index >= 2 else 0


def _skip_headers(lines: list[str], index: int) -> tuple[int, str | None]:
    """Past the header lines after a forwarding separator; their subject."""
    subject: str | None = None
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        header = _HEADER.match(lines[index])
        if header is None:
            break
        if header.group(1).lower() == "subject" and header.group(2).strip():
            subject = header.group(2).strip()
        index += 1
    return index, subject
