"""Page chrome of saved web pages (share bars, reading times, post footers) is not read;
the standfirst and every paragraph of the article are."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from msaudio.model import Article, Block, BlockKind
from msaudio.sources import read_article
from msaudio.sources.html_chrome import chrome_share, is_chrome_text, is_running, with_standfirst
from tests.helpers import all_text

PROSE = (
    "<p>Cooling vests came up at every meeting of our group this summer, so I borrowed three "
    "and wore each of them for a week of ordinary errands around town.</p>"
    "<p>The one filled with cold packs was the most effective, but it was heavy and the packs "
    "stopped helping after about ninety minutes on a warm afternoon.</p>"
    "<p>The evaporative vest was light and cheap. It worked well on dry days and hardly at all "
    "when the air was muggy, which is most of August where I live.</p>"
)

WORDPRESS = (
    "<!DOCTYPE html><html><head><title>Three cooling vests, tried for a week each</title></head>"
    "<body>"
    "<a class='screen-reader-text' href='#primary'>Skip to content</a>"
    "<div class='site-branding'><a href='/'>Cool Heads</a></div>"
    "<div id='primary'><div class='entry'>"
    "<header class='entry-header'><h1 class='entry-title'>Three cooling vests, tried for a "
    "week each</h1>"
    "<p class='entry-subtitle'>Which one kept me walking on the hottest days of the year</p>"
    "<div class='entry-info'><span>Reading time: 6 min</span></div></header>"
    "<div class='entry-content'>" + PROSE + "</div>"
    "<div class='sd-block'><h3>Like this:</h3><a href='/like'>Like</a> "
    "<span>Be the first to like this.</span></div>"
    "<div class='entry-footer'>Posted in <a href='/c/heat'>Heat</a>, "
    "<a href='/c/kit'>Kit</a> Tagged <a href='/t/vests'>vests</a>, "
    "<a href='/t/summer'>summer</a></div>"
    "<div class='post-actions'><a href='https://facebook.com/x'>Facebook</a> · "
    "<a href='https://x.com/y'>X</a> · <a href='mailto:?'>Email</a> · "
    "<a href='javascript:copy()'>Copy link</a></div>"
    "<div class='more-posts'><h2>You may also enjoy</h2><ul>"
    "<li><a href='/fans'>Desk fans compared</a></li>"
    "<li><a href='/ice'>Ice packs at night</a></li></ul></div>"
    "<div class='nav-links'><a href='/prev'>Previous post</a> <a href='/next'>Next post</a></div>"
    "</div></div></body></html>"
)

GHOST = (
    "<!DOCTYPE html><html><head><title>Why I stopped apologising for my stick</title></head>"
    "<body><div class='site-head'><a href='/'>Steady On</a> <a href='/signin'>Sign in</a> "
    "<a href='/signup'>Subscribe</a></div>"
    "<main><div class='post-meta'><a href='/tag/life'>Life</a> <span>— 4 min read</span></div>"
    "<article><h1>Why I stopped apologising for my stick</h1>"
    "<p>For two years I said sorry every time my walking stick clipped a shopping trolley or a "
    "stranger's ankle, as if taking up space were something to be ashamed of.</p>"
    "<p>A physiotherapist pointed out that the stick keeps me upright and out of hospital. "
    "Since then I say excuse me, like anyone else, and carry on.</p>"
    "</article>"
    "<div class='post-ufi'><button>24</button><button>5</button><a href='#'>Restack</a>"
    "<a href='#share'>Share</a></div></main></body></html>"
)


def read(tmp_path: Path, html: str, name: str = "page.html") -> Article:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_article(path)


def test_wordpress_post_reads_the_article_and_its_standfirst_only(tmp_path: Path) -> None:
    article = read(tmp_path, WORDPRESS)
    text = all_text(article)
    assert article.title == "Three cooling vests, tried for a week each"
    assert article.blocks[0] == Block(
        BlockKind.PARAGRAPH, text="Which one kept me walking on the hottest days of the year"
    )
    assert "Cooling vests came up at every meeting" in text
    assert "hardly at all when the air was muggy" in text
    for chrome in (
        "Skip to content",
        "Reading time",
        "Like this",
        "Posted in",
        "Tagged",
        "Facebook",
        "Copy link",
        "Previous post",
        "Desk fans compared",
    ):
        assert chrome not in text, chrome


def test_chrome_inside_the_article_element_is_not_read(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Three cooling vests</title></head><body><article>"
        "<a href='#main'>Skip to content</a>"
        "<h1>Three cooling vests</h1><div class='meta'><span>Reading time: 6 min</span></div>"
        "<div class='bar'><a href='https://facebook.com/x'>Facebook</a> · "
        "<a href='https://x.com/y'>X</a> · <a href='mailto:?'>Email</a> · "
        "<a href='javascript:copy()'>Copy link</a></div>" + PROSE + "<div><strong>Like this:"
        "</strong> <a href='/like'>Like</a> Loading...</div>"
        "<p>Posted in <a href='/c/heat'>Heat</a>, <a href='/c/kit'>Kit</a> Tagged "
        "<a href='/t/vests'>vests</a>, <a href='/t/summer'>summer</a></p>"
        "<p>12 likes · 3 comments</p>"
        "<h3>More like this</h3><ul><li><a href='/fans'>Desk fans compared</a></li>"
        "<li><a href='/ice'>Ice packs at night</a></li></ul>"
        "<p><a href='/prev'>Previous post</a> <a href='/next'>Next post</a></p>"
        "</article></body></html>"
    )
    blocks = read(tmp_path, html).blocks
    assert [b.text[:30] for b in blocks] == [
        "Cooling vests came up at every",
        "The one filled with cold packs",
        "The evaporative vest was light",
    ]


def test_ghost_post_leaves_out_reading_time_counts_and_sign_in(tmp_path: Path) -> None:
    article = read(tmp_path, GHOST)
    text = all_text(article)
    assert "clipped a shopping trolley" in text
    assert "Since then I say excuse me" in text
    for chrome in ("4 min read", "Sign in", "Subscribe", "Restack", "Share", "24"):
        assert chrome not in text, chrome


def test_standfirst_under_a_news_headline_is_the_first_paragraph(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Council adds dropped kerbs</title></head><body><article>"
        "<header><h1>Council adds dropped kerbs</h1>"
        "<h2>Forty junctions on the high street will be rebuilt by spring</h2></header>"
        "<p>The council has agreed to lower the kerbs at forty junctions after a campaign by "
        "wheelchair users and parents with buggies.</p>"
        "<p>Work starts next month and will close one side of each junction for a day.</p>"
        "</article></body></html>"
    )
    blocks = read(tmp_path, html).blocks
    assert blocks[0] == Block(
        BlockKind.PARAGRAPH, text="Forty junctions on the high street will be rebuilt by spring"
    )
    assert all(b.kind is not BlockKind.HEADING for b in blocks)


def test_standfirst_that_repeats_the_title_or_is_a_byline_is_not_added(tmp_path: Path) -> None:
    html = (
        "<html><head><title>A quieter clinic</title></head><body><article>"
        "<header><h1>A quieter clinic</h1><p class='dek'>A quieter clinic</p>"
        "<p>By Sam Reid</p></header>"
        "<p>The new waiting room has soft lighting, fewer announcements and chairs with arms, "
        "which makes standing up after a long wait much easier.</p></article></body></html>"
    )
    blocks = read(tmp_path, html).blocks
    assert [b.text for b in blocks].count("A quieter clinic") == 0
    assert blocks[0].text.startswith("The new waiting room")


def test_link_in_a_sentence_is_read_even_when_it_points_into_the_page(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Notes</title></head><body><article><h1>Notes</h1>"
        "<p>The dosing is explained in <a href='#dosing'>the section on dosing</a> below, "
        "with the times of day that suit most people.</p>"
        "<p id='dosing'>Take it with food, and never two doses within eight hours of each "
        "other, even after a missed dose.</p></article></body></html>"
    )
    assert "explained in the section on dosing below" in all_text(read(tmp_path, html))


STUDY = (
    "The trial enrolled adults with progressive MS who could still walk a short distance.",
    "Half took the drug each morning and half took a placebo that looked the same, for two years.",
    "Walking speed fell in both groups, but it fell more slowly in the group on the drug.",
    "Side effects were mostly mild stomach upset, and few people stopped the tablets for them.",
    "An independent expert called the result encouraging but said a larger trial is needed.",
)


def test_paragraphs_the_precise_extraction_drops_are_read(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Drug slows walking decline</title></head><body>"
        "<div id='content'><h1>Drug slows walking decline</h1><p>" + STUDY[0] + "</p></div>"
        "<div class='story-rest'>" + "".join(f"<p>{s}</p>" for s in STUDY[1:]) + "</div>"
        "<div class='foot'><a href='/share'>Share</a> <a href='/print'>Print</a></div>"
        "</body></html>"
    )
    blocks = read(tmp_path, html).blocks
    assert [b.text for b in blocks] == list(STUDY)


def test_chrome_is_judged_by_the_share_of_ui_words() -> None:
    assert chrome_share("Share: Facebook · X · Email · Copy link")[0] == 1.0
    assert is_chrome_text("— 7 min read", outside=False)
    assert is_chrome_text("12 likes · 3 comments", outside=False)
    assert not is_chrome_text("Email your MS nurse before the visit", outside=False)
    assert not is_chrome_text("Read more about fatigue in the next section.", outside=False)
    assert is_chrome_text("Read more", outside=True)


def test_standfirst_is_moved_to_the_top_once() -> None:
    blocks = [
        Block(BlockKind.PARAGRAPH, text="Body text."),
        Block(BlockKind.HEADING, text="A short dek", level=2),
    ]
    assert with_standfirst(blocks, "A short dek") == [
        Block(BlockKind.PARAGRAPH, text="A short dek"),
        Block(BlockKind.PARAGRAPH, text="Body text."),
    ]


def test_running_headers_of_office_exports_are_not_read(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Minutes</title></head><body>"
        "<div style='mso-element:header' id='h1'><p>Riverside Group · Issue 9</p></div>"
        "<div title='header'><p>Riverside Group newsletter</p></div>"
        "<p>Eighteen members came to the April meeting, and two new carers joined the group "
        "for the first time.</p>"
        "<div title='footer'><p>Page 1 of 2</p></div></body></html>"
    )
    text = all_text(read(tmp_path, html))
    assert "Eighteen members came" in text
    for chrome in ("Issue 9", "Riverside Group newsletter", "Page 1 of 2"):
        assert chrome not in text, chrome


NEWS_WITH_LEAD_IMAGE = (
    "<!DOCTYPE html><html><head><title>A new walking test</title></head><body><main>"
    "<article><header><h1>A new walking test for clinic days</h1>"
    "<p class='dek'>Timed walks are quick to run, and the clinic now repeats them every visit "
    "so that small changes show.</p></header>"
    "<figure><img src='/img/walk.jpg' alt='A physiotherapist with a clipboard beside a "
    "marked corridor'><figcaption>Two marks ten metres apart are all the test needs. "
    "<span class='credit'>Photograph: Lena Brook</span></figcaption></figure>"
    "<figure><img src='/img/cone.jpg' alt='An orange cone'>"
    "<figcaption>The turning point. Photo: clinic archive</figcaption></figure>"
    "<div class='story-body'>" + PROSE + "</div></article></main></body></html>"
)


def test_the_lead_image_between_headline_and_text_is_described_without_its_credit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "news.html"
    path.write_text(NEWS_WITH_LEAD_IMAGE, encoding="utf-8")
    article = read_article(path)
    text = all_text(article)
    assert "A physiotherapist with a clipboard beside a marked corridor" in text
    assert "Two marks ten metres apart are all the test needs." in text
    assert "Lena Brook" not in text and "clinic archive" not in text
    kinds = [(b.kind, b.text[:10]) for b in article.blocks[:3]]
    assert kinds[0] == (BlockKind.PARAGRAPH, "Timed walk")  # the standfirst stays first
    assert BlockKind.IMAGE in {kind for kind, _ in kinds}


def test_the_header_and_footer_of_a_google_docs_export_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "gdocs.html"
    path.write_text(
        "<html><head><title>Handout</title></head><body class='c9 doc-content'>"
        "<div><p class='c2'><span>Riverside carers group · sheet 4 · comments welcome</span></p>"
        "</div><p class='c2 title'><span>Getting a carer's assessment</span></p>"
        + PROSE.replace("<p>", "<p class='c2'>")
        + "<p class='c2'>It is free.<sup><a href='#ftnt1' id='ftnt_ref1'>[1]</a></sup></p>"
        "<div><p class='c2'><span>Kept in the shared drive. Ask Sam on the group chat.</span>"
        "</p></div><hr><div><p class='c2'><a href='#ftnt_ref1' id='ftnt1'>[1]</a>"
        "<span> Your council pays for it, whatever your savings are.</span></p></div>"
        "</body></html>",
        encoding="utf-8",
    )
    text = all_text(read_article(path))
    assert "Riverside carers group" not in text and "shared drive" not in text
    assert "Cooling vests came up" in text


def test_a_google_docs_footnote_is_not_taken_for_its_footer() -> None:
    body = lxml.html.fromstring(
        "<html><body class='doc-content'><p>Text.</p><div><p><a href='#ftnt_ref1' id='ftnt1'>"
        "[1]</a> A note.</p></div><div><p>Footer</p></div></body></html>"
    ).find("body")
    assert body is not None
    note, footer = body.findall("div")
    assert not is_running(note)
    assert is_running(footer)


def test_an_office_title_above_the_first_heading_opens_the_article(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><head></head><body class='doc-content'>"
        "<p class='c3 title'><span>Packing for a hospital stay</span></p>"
        "<p class='c4'><span>I keep this list by the door so that nobody has to guess what "
        "I need when the ward calls.</span></p>"
        "<h1>The bag</h1><p class='c4'><span>Two pairs of loose trousers, slippers with a firm "
        "sole and a long charging cable.</span></p>"
        "<h1>Paperwork</h1><p class='c4'><span>A printed list of every medicine, with the dose "
        "and the time of day it is taken.</span></p></body></html>",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Packing for a hospital stay"
    assert "nobody has to guess" in all_text(article)


def test_the_lead_image_after_a_standfirst_outside_the_header_is_described(
    tmp_path: Path,
) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        "<html><head><title>Ramps at the station</title></head><body><article>"
        "<h1>Ramps at the station</h1>"
        "<div class='standfirst'><p>The new ramps open next week, and the council says every "
        "platform will have one by spring.</p></div>"
        "<figure><img src='r.jpg' alt='A wheelchair user rolling up a gentle ramp'>"
        "<figcaption>The first ramp was built on platform two. <cite>Town Archive</cite>"
        "</figcaption></figure>" + PROSE + "</article></body></html>",
        encoding="utf-8",
    )
    text = all_text(read_article(path))
    assert "A wheelchair user rolling up a gentle ramp" in text
    assert "The first ramp was built on platform two." in text
    assert "Town Archive" not in text


def test_a_photo_by_credit_ending_a_caption_is_dropped_but_not_a_photo_in_its_words() -> None:
    from msaudio.sources.html_figure import drop_credits

    caption = lxml.html.fromstring(
        "<figcaption>A bench by the lake. Photo by <a href='#'>Sam Reed</a> / Stock</figcaption>"
    )
    drop_credits(caption)
    assert (caption.text or "").strip() == "A bench by the lake."
    kept = lxml.html.fromstring("<figcaption>My photo by the lake at dawn</figcaption>")
    drop_credits(kept)
    assert kept.text == "My photo by the lake at dawn"


def test_a_number_alone_in_a_data_tables_cell_is_read(tmp_path: Path) -> None:
    path = tmp_path / "doses.html"
    path.write_text(
        "<html><head><title>Stretches</title></head><body><h1>Stretches</h1>"
        + PROSE
        + "<table><tr><td><p>Stretch</p></td><td><p>Sets</p></td></tr>"
        "<tr><td><p>Calf stretch</p></td><td><p>3</p></td></tr>"
        "<tr><td><p>Hamstring stretch</p></td><td><p>2 x 8</p></td></tr></table>"
        + PROSE.replace("Cooling vests", "Neck wraps")
        + "</body></html>",
        encoding="utf-8",
    )
    rows = [b.rows for b in read_article(path).blocks if b.kind is BlockKind.TABLE]
    assert rows and ("Calf stretch", "3") in rows[0] and ("Hamstring stretch", "2 x 8") in rows[0]


def test_office_footnotes_are_read_last_under_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.html"
    path.write_text(
        "<html><head><title>Grab rails</title></head><body class='doc-content'>"
        "<p class='title'>Grab rails</p>" + PROSE + "<p>Rails cost little.<sup>"
        "<a href='#ftnt1' id='ftnt_ref1'>[1]</a></sup></p><hr>"
        "<div><p><a href='#ftnt_ref1' id='ftnt1'>[1]</a><span> The council fits them free "
        "for anyone with a care plan.</span></p></div></body></html>",
        encoding="utf-8",
    )
    blocks = read_article(path).blocks
    assert [b.text for b in blocks[-2:]] == [
        "Notes",
        "The council fits them free for anyone with a care plan.",
    ]


def test_chrome_the_extraction_keeps_without_class_names_is_judged_by_its_features(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bare.html"
    path.write_text(
        "<html><head><title>Cooling vests</title></head><body><article>"
        "<h1>Cooling vests</h1>" + PROSE + "<p>Sign in</p><p>\u00a9 2025 Harbour Notes</p>"
        "<p>Wear it under a loose shirt.</p></article></body></html>",
        encoding="utf-8",
    )
    text = all_text(read_article(path))
    assert "Sign in" not in text and "Harbour Notes" not in text
    assert "Wear it under a loose shirt." in text


def test_a_paragraph_between_the_headline_and_the_lead_figure_is_the_standfirst() -> None:
    from msaudio.sources.html_chrome import standfirst

    page = lxml.html.fromstring(
        "<html><body><article><h1>Ramps at the station</h1>"
        "<div><p>Every platform will have a ramp by spring, the council says.</p></div>"
        "<figure><img src='r.jpg' alt='A ramp'></figure>" + PROSE + "</article></body></html>"
    )
    lead = standfirst(page, "Ramps at the station")
    assert lead == "Every platform will have a ramp by spring, the council says."
    plain = lxml.html.fromstring(
        "<html><body><article><h1>Ramps</h1>" + PROSE + "</article></body></html>"
    )
    assert standfirst(plain, "Ramps") is None
