"""Write the sample show's PDF leaflet, episodes/sleeping-better.pdf, from the text below.

Run with the development virtualenv (fpdf2 is a test extra) from the repository root:
``python scripts/_sample_pdf.py``. The leaflet is set line by line as a clinic's would
be: a running header and footer with page numbers, words broken at line ends, a list.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdf_maker import SOFT as S  # noqa: E402
from tests.pdf_maker import Leaflet  # noqa: E402

TITLE = "Sleeping better with MS"
TEXT = [
    (
        "p",
        "Many people with multiple sclerosis sleep badly at some point. Night-time cramps, "
        "needing the toilet, restless legs and worry can all break up the night, and poor "
        "sleep then makes daytime fatigue harder to manage. The good news is that small "
        "changes to your evening routine often help, and your MS team can treat many of the "
        "causes.",
    ),
    ("h", "Common causes"),
    (
        "p",
        f"Spasms and stiffness in the legs are often worse at night. A stretching routine "
        f"before bed, or a change to the timing of a medicine such as baclofen, may ease them. "
        f"Bladder symptoms that wake you more than once a night are worth mentioning at your "
        f"next review, because there are simple tests and treat{S}ments. Low mood and anxiety "
        f"affect sleep too, and talking therapies work well for many people.",
    ),
    ("h", "Things to try"),
    ("li", "Go to bed and get up at the same times each day, weekends included."),
    ("li", "Keep the bedroom cool, dark and quiet, and use it for sleep."),
    ("li", "Avoid caffeine after lunchtime and large meals late in the evening."),
    ("li", "If you cannot sleep after twenty minutes, get up and do something calm."),
    ("h", "A calmer evening"),
    (
        "p",
        "Winding down starts an hour or so before bed. Dim the lights, put screens away and "
        "choose something that relaxes you, such as reading, gentle music or a warm shower. "
        "Heat can make some MS symptoms worse for a while, so a lukewarm shower suits many "
        "people better than a hot bath. Writing tomorrow's jobs on a list can stop them "
        "going round in your head once the light is off. Some people find that a short "
        "breathing exercise, or tensing and relaxing each group of muscles in turn, helps "
        "them drift off more easily.",
    ),
    (
        "p",
        f"Naps are not forbidden. A short rest of twenty minutes in the early after{S}noon "
        "can restore energy without spoiling the night, while a long sleep late in the day "
        "often does. If you need to lie down for longer, set an alarm.",
    ),
    ("h", "When to ask for help"),
    (
        "p",
        f"Tell your MS nurse or GP if poor sleep goes on for more than a few weeks, if a "
        f"partner notices that you stop breathing or snore heavily, or if you feel very sleepy "
        f"during the day despite a full night in bed. Keeping a sleep diary for a fortnight "
        f"makes the conversation easier and helps the team find the right treat{S}ment.",
    ),
]


def main() -> None:
    leaflet = Leaflet(
        "Lakeside MS Group \u00b7 Information leaflet",
        "Sleeping better with MS \u00b7 Page {page} of {pages}",
        bottom=150,
    )
    leaflet.heading(TITLE, 18)
    for kind, text in TEXT:
        if kind == "h":
            leaflet.heading(text, 13)
        elif kind == "li":
            leaflet.paragraph(text, marker="\u2022")
        else:
            leaflet.paragraph(text)
    leaflet.paragraph(
        "This leaflet is general information and does not replace advice from your own "
        "care team. \u00a9 2026 Lakeside MS Group.",
        size=7,
    )
    # A fixed date, so that writing the leaflet again gives the same file (and episode).
    leaflet.pdf.set_creation_date(dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    leaflet.write(ROOT / "episodes" / "sleeping-better.pdf", title=TITLE)


if __name__ == "__main__":
    main()
