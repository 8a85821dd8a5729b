"""Markdown as writers use it: what is read and what is not."""

from __future__ import annotations

from msaudio.model import BlockKind
from msaudio.sources.markdown_body import NOTES_HEADING, body_blocks


def texts(body: str) -> list[str]:
    return [
        item
        for block in body_blocks(body)
        for item in (block.items if block.kind is BlockKind.LIST else (block.text,))
    ]


def test_footnotes_are_read_last_under_notes_without_their_markers() -> None:
    blocks = body_blocks("Heat matters.[^1] So does rest.[^2]\n\n[^2]: Second.\n[^1]: First.\n")
    assert blocks[0].text == "Heat matters. So does rest."
    assert (blocks[1].kind, blocks[1].text) == (BlockKind.HEADING, NOTES_HEADING)
    assert [b.text for b in blocks[2:]] == ["First.", "Second."]


def test_task_list_checkboxes_and_struck_text_are_not_read() -> None:
    assert texts("- [x] Book a lift\n- [ ] Pack a snack\n") == ["Book a lift", "Pack a snack"]
    assert texts("Open ~~until noon~~ all day.") == ["Open all day."]


def test_definition_lists_are_term_definition_items() -> None:
    assert texts("Parking\n: Free near the door.\n") == ["Parking: Free near the door."]


def test_in_page_and_script_links() -> None:
    assert texts("[Back to top](#top)\n\n[Skip to content](#main) · [Menu](#nav)") == []
    assert texts("See [the dose table](#doses) below.") == ["See the dose table below."]
    assert texts("Done. [Print](javascript:window.print())") == ["Done."]


def test_wiki_links_and_embeds() -> None:
    assert texts("Read [[Clinic Guide|the guide]] and [[Opening Hours]].") == [
        "Read the guide and Opening Hours."
    ]
    embeds = (
        "![[map.png]]\n\n{% embed https://x.org/v %}\n\n{{< youtube a1 >}}\n\nhttps://vimeo.com/1"
    )
    assert texts(embeds) == []
    assert texts('<iframe src="https://x.org/p"></iframe>\n\nAfter.') == ["After."]


def test_raw_html_is_cleaned_like_a_page() -> None:
    body = '<div class="share-bar">Share this</div>\n\n<p>An HTML paragraph.</p>\n'
    assert texts(body) == ["An HTML paragraph."]
    details = "<details><summary>More</summary>\n\nInside.\n\n</details>\n"
    blocks = body_blocks(details)
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "More"),
        (BlockKind.PARAGRAPH, "Inside."),
    ]


def test_callout_markers_are_not_read() -> None:
    assert texts("> [!note]\n> Drink water.") == ["Note. Drink water."]
    assert texts("> [!warning] Hot day\n> Stay in the shade.") == ["Hot day. Stay in the shade."]


def test_headings_with_closing_hashes_and_emphasis() -> None:
    blocks = body_blocks("## Ward names ##\n\n**Bold** and _soft_ words.")
    assert (blocks[0].text, blocks[0].level) == ("Ward names", 2)
    assert blocks[1].text == "Bold and soft words."


def test_obsidian_comments_inline_and_over_lines_are_not_read() -> None:
    body = "Swim on Tuesdays. %%ask about the hoist%% Rest after.\n\n%%\nmove this\n%%\n\nEnd."
    assert texts(body) == ["Swim on Tuesdays. Rest after.", "End."]
