"""E-mail newsletters (.eml): the article read, the mail furniture not."""

from __future__ import annotations

import datetime as dt
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from msaudio.errors import ArticleError
from msaudio.model import BlockKind
from msaudio.sources import read_article
from msaudio.sources.eml_chrome import is_mail_furniture
from msaudio.text.script import build_script
from tests.helpers import all_text, run_cli

SUBJECT = "Cooling vests: what our members found"
SENDER = "Lakeside MS Circle"

ARTICLE = [
    "Last summer twelve members of the circle wore cooling vests on warm days and kept a short "
    "diary of how they felt.",
    "Most said the vests helped them stay out in the garden for longer, and several noticed that "
    "their legs felt less heavy by the late afternoon.",
    "Vests with gel packs stayed cool for about two hours; the kind you soak in water lasted "
    "longer but felt damp against the skin.",
    "One member takes 10 mg of baclofen at lunch and found the vest made the walk to the shop "
    "easier on hot afternoons.",
]
HEADING = "Choosing a vest"
TIPS = ["Try one on before you buy it", "Keep a spare set of packs in the freezer"]

CHROME = [
    "A summer of cool ideas from the circle inside",  # the preheader
    "View this email in your browser",
    "Share on Facebook",
    "You are receiving this email because you joined the Lakeside MS Circle mailing list.",
    "Unsubscribe",
    "Update your preferences",
    "Forward to a friend",
    "Lakeside MS Circle, 4 Quarry Road, Kendal LA9 4RT",
]
CHROME_WORDS = ["preheader", "browser", "Facebook", "receiving", "Unsubscribe", "preferences",
                "Forward", "Quarry", "logo", "pixel", "Copyright", "online", "Tweet"]  # fmt: skip


def newsletter_html() -> str:
    paragraphs = "\n".join(f'<p style="font-size:16px">{p}</p>' for p in ARTICLE[:2])
    later = "\n".join(f"<p>{p}</p>" for p in ARTICLE[2:])
    tips = "".join(f"<li>{t}</li>" for t in TIPS)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Newsletter</title>
<style>.preheader {{ display:none !important; }}</style></head>
<body style="margin:0">
<div class="preheader" style="display:none;max-height:0;overflow:hidden">{CHROME[0]}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td>
  <table role="presentation" width="600" align="center"><tr>
    <td style="font-size:12px"><a href="https://news.example.org/view/123">{CHROME[1]}</a></td>
  </tr></table>
  <table role="presentation" width="600"><tr><td>
    <a href="https://lakeside.example.org/"><img src="https://cdn.example.org/logo.png"
       alt="Lakeside logo" width="180" height="60"></a>
  </td></tr></table>
  <table role="presentation" width="600"><tr><td height="20" style="font-size:0">&nbsp;</td></tr>
  </table>
  <table role="presentation" width="600"><tr><td style="font-size:0">
    <div style="display:inline-block;width:100%;font-size:16px">
    <h1>{SUBJECT}</h1>
    {paragraphs}
    <h2>{HEADING}</h2>
    {later}
    <ul>{tips}</ul>
    </div>
  </td></tr></table>
  <table role="presentation" width="600"><tr>
    <td><a href="https://facebook.com/sharer?u=x"><img src="fb.png" alt="Facebook"></a></td>
    <td><a href="https://x.com/share?u=x"><img src="x.png" alt="X"></a></td>
    <td><a href="https://facebook.com/sharer?u=x">{CHROME[2]}</a></td>
  </tr></table>
  <table role="presentation" width="600"><tr><td style="font-size:11px;color:#777">
    <p>{CHROME[3]}</p>
    <p><a href="https://news.example.org/u/1">{CHROME[4]}</a> |
       <a href="https://news.example.org/p/1">{CHROME[5]}</a> |
       <a href="https://news.example.org/f/1">{CHROME[6]}</a></p>
    <p>{CHROME[7]}</p>
  </td></tr></table>
</td></tr></table>
<img src="https://track.example.org/open.gif?id=77" width="1" height="1" alt="pixel">
</body></html>
"""


def editor_html() -> str:
    """The other common shape: one cell of text written with line breaks, no headings."""
    tips = "".join(f"<li>{t}</li>" for t in TIPS)
    return f"""<html><head><style>p {{ margin:0 }}</style></head><body>
<span style="color:transparent;display:none;max-height:0;opacity:0;mso-hide:all">{CHROME[0]}</span>
<center><table width="100%" bgcolor="#eeeeee"><tr><td align="center">
<table width="600"><tr>
  <td style="font-size:11px">Not displaying correctly? <a href="https://x.example.org/v">Read
  it online</a></td>
  <td style="font-size:11px"><a href="https://x.example.org/f">Forward</a></td>
</tr></table>
<table width="600"><tr><td><a href="https://lakeside.example.org"><img src="l.png"
  alt="{SENDER}" width="200"></a></td></tr></table>
<table width="600"><tr><td class="textContent" style="font-family:Arial">
<span style="font-size:26px;font-weight:bold">{SUBJECT}</span><br><br>
{ARTICLE[0]}<br><br>{ARTICLE[1]}<br><br>
<strong>{HEADING}</strong><br>
{ARTICLE[2]}<br><br>{ARTICLE[3]}
<ul>{tips}</ul>
</td></tr></table>
<table width="600"><tr><td><a href="https://fb.example.org/s"><img src="f.png" alt="Share on
  Facebook"></a> <a href="https://tw.example.org/s"><img src="t.png" alt="Tweet"></a></td></tr>
</table>
<table width="600"><tr><td style="font-size:10px">Copyright © 2026 {SENDER}, All rights
reserved.<br>{CHROME[3]}<br>Our mailing address is: {CHROME[7]}<br>
Want to change how you receive these emails? You can <a href="https://x.example.org/p">update
your preferences</a> or <a href="https://x.example.org/u">unsubscribe from this list</a>.
</td></tr></table>
</td></tr></table></center>
<img src="https://t.example.org/o.gif" width="1" height="1" border="0" alt="">
</body></html>"""


def plain_alternative() -> str:
    return "\n\n".join(
        [CHROME[1] + ": https://news.example.org/view/123", SUBJECT, *ARTICLE, CHROME[4]]
    )


def message(
    *, html: str | None, text: str | None, subject: str = SUBJECT, cte: str | None = None
) -> bytes:
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = Address(SENDER, "news", "lakeside.example.org")
    mail["To"] = "member@example.net"
    mail["Date"] = format_datetime(dt.datetime(2026, 6, 18, 7, 30, tzinfo=dt.UTC))
    if text is not None:
        mail.set_content(text, cte=cte)
    if html is not None:
        if text is None:
            mail.set_content(html, subtype="html", cte=cte)
        else:
            mail.add_alternative(html, subtype="html", cte=cte)
    return bytes(mail)


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def assert_article_kept(said: str) -> None:
    body = words(" ".join([*ARTICLE, HEADING, *TIPS]))
    heard = set(words(said))
    lost = [w for w in body if w not in heard]
    assert len(lost) <= len(body) // 100, lost


@pytest.mark.parametrize("html", [newsletter_html(), editor_html()], ids=["tables", "breaks"])
def test_an_html_newsletter_reads_its_article_and_none_of_its_furniture(
    tmp_path: Path, html: str
) -> None:
    path = tmp_path / "cooling-vests.eml"
    data = message(html=html, text=plain_alternative())
    assert b"Content-Type: multipart/alternative" in data
    path.write_bytes(data)
    article = read_article(path)
    assert article.title == SUBJECT
    assert article.credit == SENDER
    assert article.date == dt.date(2026, 6, 18)
    assert [b.text for b in article.blocks if b.kind is BlockKind.HEADING] == [HEADING]
    assert any(b.kind is BlockKind.LIST and b.items == tuple(TIPS) for b in article.blocks)
    said = all_text(article)
    assert_article_kept(said)
    for chrome in CHROME_WORDS:
        assert chrome.lower() not in said.lower(), chrome
    sentences = build_script(article, 200).sentences()
    spoken = " ".join(s.spoken for s in sentences)
    assert "10 milligrams" in spoken
    assert f"This article comes from {SENDER}." in [s.display for s in sentences]
    for chrome in CHROME_WORDS:
        assert chrome.lower() not in spoken.lower(), chrome


def test_quoted_printable_base64_and_a_western_charset_are_decoded(tmp_path: Path) -> None:
    html = newsletter_html().replace("circle wore", "circle, café regulars, wore")
    for cte in ("quoted-printable", "base64"):
        data = message(html=html, text=None, cte=cte)
        assert f"Content-Transfer-Encoding: {cte}".encode() in data
        path = tmp_path / f"{cte}.eml"
        path.write_bytes(data)
        assert "café regulars" in all_text(read_article(path)), cte
    # Labelled Latin-1 but written by a Windows client: curly quotes at 0x93 and 0x94.
    body = html.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("café", "caf\xe9")
    raw = body.replace("circle, ", "circle, \x93").replace("regulars,", "regulars\x94,")
    latin = (
        f"Subject: {SUBJECT}\nFrom: {SENDER} <news@lakeside.example.org>\nMIME-Version: 1.0\n"
        'Content-Type: text/html; charset="iso-8859-1"\nContent-Transfer-Encoding: 8bit\n\n'
    ).encode("ascii") + raw.encode("latin-1")
    path = tmp_path / "latin.eml"
    path.write_bytes(latin)
    assert "\u201ccafé regulars\u201d" in all_text(read_article(path))


def test_an_encoded_subject_is_the_title(tmp_path: Path) -> None:
    subject = "Café mornings — “cool” ideas"
    data = message(html=None, text="\n\n".join(ARTICLE), subject=f"Fwd: {subject}")
    assert b"=?utf-8?" in data  # the subject travels RFC 2047-encoded
    path = tmp_path / "fwd.eml"
    path.write_bytes(data)
    assert read_article(path).title == subject


def test_a_plain_text_email_reads_its_text(tmp_path: Path) -> None:
    text = "\n\n".join([*ARTICLE, "Unsubscribe: https://news.example.org/u/1"])
    text += "\n\n-- \nSam, for the circle\n07700 900123\n"
    path = tmp_path / "plain.eml"
    path.write_bytes(message(html=None, text=text))
    article = read_article(path)
    assert article.title == SUBJECT and article.credit == SENDER
    said = all_text(article)
    body = words(" ".join(ARTICLE))
    assert sum(w not in set(words(said)) for w in body) <= len(body) // 100
    assert "unsubscribe" not in said.lower() and "07700" not in said
    assert said.count("Last summer twelve members") == 1


def test_an_email_without_a_body_or_headers_is_one_line(tmp_path: Path) -> None:
    empty = EmailMessage()
    empty["Subject"] = "Nothing inside"
    empty["From"] = "news@example.org"
    cases = {
        "no-body.eml": bytes(empty),
        "not-mail.eml": b"just some words\nwithout any header\n",
        "attachment-only.eml": _attachment_only(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ArticleError) as caught:
            read_article(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value), name


def _attachment_only() -> bytes:
    mail = EmailMessage()
    mail["Subject"] = "A leaflet"
    mail["From"] = "news@example.org"
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="x.pdf")
    return bytes(mail)


def test_mail_wordings_are_judged_in_short_blocks_only() -> None:
    assert is_mail_furniture("Having trouble? View it in your browser.", linked=True)
    assert is_mail_furniture("Manage your subscription", linked=False)  # a label
    assert is_mail_furniture("You are receiving this email as a member.", linked=False)
    # In a sentence without a link, an action is an ordinary word.
    assert not is_mail_furniture("I had to unsubscribe from the gym last year.", linked=False)
    assert not is_mail_furniture("If you get this tingling, rest for a while.", linked=False)
    prose = (
        "When I finally decided to unsubscribe from the gym, I found that walking by the lake "
        "with two friends every morning did more for my balance and my mood than any class, "
        "and we now plan the route together each week, choosing flat paths with benches."
    )
    assert not is_mail_furniture(prose, linked=True)
    assert not is_mail_furniture("Fatigue is not laziness.", linked=False)


def test_script_shows_an_email(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "vests.eml"
    path.write_bytes(message(html=newsletter_html(), text=plain_alternative()))
    code, out, err = run_cli(capsys, "script", str(path))
    assert code == 0, err
    assert SUBJECT in out and "10 milligrams" in out
    assert "nsubscribe" not in out and "browser" not in out


def test_a_newsletter_with_inline_images_reads_its_html_root(tmp_path: Path) -> None:
    mail = EmailMessage()
    mail["Subject"] = SUBJECT
    mail["From"] = Address(SENDER, "news", "lakeside.example.org")
    mail.set_content(plain_alternative())
    html = newsletter_html().replace("https://cdn.example.org/logo.png", "cid:logo@lakeside")
    mail.add_alternative(html, subtype="html")
    _, html_part = mail.iter_parts()
    html_part.add_related(b"\x89PNG\r\n\x1a\n", "image", "png", cid="<logo@lakeside>")
    data = bytes(mail)
    assert b"multipart/related" in data
    path = tmp_path / "related.eml"
    path.write_bytes(data)
    article = read_article(path)
    assert_article_kept(all_text(article))
    assert [b.text for b in article.blocks if b.kind is BlockKind.HEADING] == [HEADING]
