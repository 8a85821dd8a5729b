"""The rules of speech normalization that generalize: capitals, units as adjectives,
fractions, temperatures, ranges, num2words, and respellings inside compounds."""

from __future__ import annotations

import pytest

from msaudio.text.normalize import load_lexicon, number_words, speakable, year_words
from msaudio.text.normalize.acronyms import pronounceable, spell
from msaudio.text.normalize.tables import FRACTIONS, SPOKEN_ACRONYMS, UNITS

# --- capitals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # unknown to the lexicon: spelled, "A" as "eh"
        ("The NMSS and the MSAA.", "The N M S S and the M S eh eh."),
        ("Ask the PCT or the DVLA.", "Ask the P C T or the D V L eh."),
        ("A PPI and an SSRI.", "A P P I and an S S R I."),
        # plurals and possessives: "'s", which piper says after a letter
        ("Two ECGs, the BBC's view.", "Two E C G's, the B B C's view."),
        ("The PCTs' budgets.", "The P C T's budgets."),
        # words written in capitals
        ("NASA, NICE, COVID-19 and AIDS.", "NASA, NICE, COVID-19 and AIDS."),
        ("UNESCO and OPEC.", "UNESCO and OPEC."),
        ("ECTRIMS met.", "ectrims met."),  # long and shaped like a word
        ("IMPORTANT: rest first.", "important: rest first."),
        # Roman numerals in context
        ("A Phase II trial.", "A Phase two trial."),
        ("Stage IV and Grade III.", "Stage four and Grade three."),
        ("Type I diabetes.", "Type one diabetes."),
        ("After World War II.", "After World War two."),
        ("Henry VIII wrote.", "Henry the eighth wrote."),
        ("An IV drip.", "An I V drip."),  # the lexicon's term, not a numeral
        ("I think I can.", "I think I can."),
        # headings and phrases in capitals
        ("WHAT YOU NEED TO KNOW", "what you need to know"),
        ("HOT TIPS FOR SUMMER", "hot tips for summer"),
        ("LIVING WITH MS", "living with M S"),  # the lexicon still wins
        ("NEW DMT OPTIONS", "new D M T options"),
        ("WHY CSF TESTS MATTER", "why C S F tests matter"),  # no vowel: letters
        # capitals that other steps say
        ("At 10 PM.", "At 10 PM."),
        ("Take 400 IU.", "Take 400 international units."),
    ],
)
def test_capitals(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


def test_the_brief_s_abbreviations_are_spelled() -> None:
    for term in ["EDSS", "DMT", "NHS", "CSF"]:
        assert speakable(f"See {term}.") == f"See {spell(term)}."
    assert spell("EDSS") == "E D S S"
    assert spell("MRI", "s") == "M R I's"


def test_a_run_of_abbreviations_is_not_a_heading() -> None:
    assert speakable("The NHS CSF DMT guide") == "The N H S C S F D M T guide"


@pytest.mark.parametrize("word", ["NASA", "SCUBA", "KNOW", "IMPORTANT", "UNICEF", "STRENGTH"])
def test_word_shaped(word: str) -> None:
    assert pronounceable(word)


@pytest.mark.parametrize("word", ["NHS", "CSF", "MRI", "EDSS", "NMOSD", "HSCT", "BMI", "MSAA"])
def test_not_word_shaped(word: str) -> None:
    assert not pronounceable(word)


def test_spoken_acronyms_list_is_capitals() -> None:
    assert SPOKEN_ACRONYMS
    assert all(word.isupper() and word.isalpha() for word in SPOKEN_ACRONYMS)


# --- units as adjectives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Take a 10-mg tablet.", "Take a 10-milligram tablet."),
        ("Take a 10 mg tablet.", "Take a 10-milligram tablet."),
        ("Take one 10mg tablet.", "Take one 10-milligram tablet."),
        ("The 20 mg dose helped.", "The 20-milligram dose helped."),
        ("A 30-min walk.", "A 30-minute walk."),
        ("A 30-minute walk.", "A 30-minute walk."),
        ("A 5-km route.", "A 5-kilometer route."),
        ("Each 2.5 mg capsule.", "Each two point five-milligram capsule."),
        ("A 2 mg/kg dose.", "A 2-milligram per kilogram dose."),
        # quantities that do not describe a noun stay plural
        ("Take 10 mg twice a day.", "Take 10 milligrams twice a day."),
        ("Take 10 mg daily.", "Take 10 milligrams daily."),
        ("A dose of 10 mg.", "A dose of 10 milligrams."),
        ("Up to 10 mg a day.", "Up to 10 milligrams a day."),
        ("A 5% rise.", "A 5 percent rise."),
    ],
)
def test_units_as_adjectives(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


# --- fractions, temperatures, ranges, times signs --------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Allow 1½ hours.", "Allow one and a half hours."),
        ("Allow 2¼ hours.", "Allow two and a quarter hours."),
        ("Allow 1 1/2 hours.", "Allow one and a half hours."),
        ("Take ½ tablet.", "Take half a tablet."),
        ("Take a ½ tablet.", "Take a half tablet."),
        ("Add 3/4 cup.", "Add three quarters of a cup."),
        ("Add ¼ teaspoon.", "Add a quarter of a teaspoon."),
        ("About ⅓ of people.", "About a third of people."),
        ("About 2/3 of people.", "About two thirds of people."),
        ("Open 24/7.", "Open 24/7."),  # not a fraction
        ("On 3/4.", "On 3/4."),  # a date, perhaps: left as written
    ],
)
def test_fractions(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


def test_every_fraction_of_the_table_is_said() -> None:
    for written in FRACTIONS:
        spoken = speakable(f"Add {written} of it.")
        assert written not in spoken, written
        assert spoken.endswith(" of it."), written


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "Bake at 180°C (160°C fan).",
            "Bake at 180 degrees Celsius, or 160 degrees Celsius fan.",
        ),
        (
            "Bake at 180°C (350°F) for 20 min.",
            "Bake at 180 degrees Celsius, or 350 degrees Fahrenheit, for 20 minutes.",
        ),
        ("A fever of 37–38°C.", "A fever of 37 to 38 degrees Celsius."),
        ("Between 37-38 °C.", "Between 37 to 38 degrees Celsius."),
        ("Take 2–3 mg.", "Take 2 to 3 milligrams."),
        ("Wait 10-20 minutes.", "Wait 10 to 20 minutes."),
        ("Up by 5 to 10%.", "Up by 5 to 10 percent."),
        ("Up by 5–10%.", "Up by 5 to 10 percent."),
        ("A dose (10 mg) helps.", "A dose (10 milligrams) helps."),  # no quantity before it
    ],
)
def test_temperatures_and_ranges(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Repeat x2 daily.", "Repeat 2 times daily."),
        ("Walk ×3 a week.", "Walk 3 times a week."),
        ("Once: x1.", "Once: once."),
        ("Grid 3x4.", "Grid 3x4."),
        ("Box x2y.", "Box x2y."),
    ],
)
def test_times_signs(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Symptoms, e.g. heat, vary.", "Symptoms, for example heat, vary."),
        ("Rest, i.e. sleep.", "Rest, that is sleep."),
        ("MS vs. lupus.", "M S versus lupus."),
        ("Approx. 5 people.", "Approximately 5 people."),
        ("Pain, fatigue, etc.", "Pain, fatigue, et cetera."),
        ("Costs (incl. travel).", "Costs (including travel)."),
        ("See cf. Smith.", "See compare Smith."),
    ],
)
def test_abbreviations_in_running_text(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


# --- numbers through num2words ---------------------------------------------------------------


def test_num2words_is_american() -> None:
    assert number_words(101) == "one hundred one"
    assert number_words(1_200_305) == "one million two hundred thousand three hundred five"
    assert year_words(1905) == "nineteen oh five"
    assert year_words(2005) == "two thousand five"
    assert year_words(2100) == "twenty-one hundred"


def test_unit_table_is_data() -> None:
    assert UNITS["mcg"] == UNITS["µg"] == ("microgram", "micrograms")
    assert UNITS["°C"] == UNITS["℃"]


# --- respellings inside compounds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "spoken", "heard"),
    [
        (
            "In relapsing-remitting disease.",
            "In ree-lapsing remitting disease.",
            "In relapsing remitting disease.",
        ),
        ("A non-relapsing course.", "A non ree-lapsing course.", "A non relapsing course."),
        (
            "Post-relapse-care helps.",
            "Post ree-lapse care helps.",
            "Post relapse care helps.",
        ),
        ("Relapsing MS.", "Ree-lapsing M S.", "Relapsing M S."),
        ("MS-related fatigue.", "M S-related fatigue.", "M S-related fatigue."),  # not respelled
    ],
)
def test_a_respelling_in_a_compound_is_a_word_of_its_own(
    written: str, spoken: str, heard: str
) -> None:
    assert speakable(written) == spoken
    assert load_lexicon().unrespell(spoken) == heard
