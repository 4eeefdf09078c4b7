"""Georgian typed in Latin letters, converted to Georgian script for the embedding model."""

import time

import pytest

from components.georgian_script import GeorgianScriptConverter

LEXICON = [
    "რა ღირს მონაწილეობა ღონისძიებაზე?",
    "რა არის ღია მმართველობა",
    "ღია მონაცემების პორტალი",
    "ჭკვიანი ქალაქები",
]


@pytest.fixture(scope="module")
def with_lexicon() -> GeorgianScriptConverter:
    return GeorgianScriptConverter.from_texts(LEXICON)


def test_lexicon_words_chosen_where_the_spelling_is_ambiguous(with_lexicon):
    # g is გ or ღ, w is წ, t is თ or ტ: the lexicon knows which
    assert with_lexicon.convert("ra girs monawileoba") == "რა ღირს მონაწილეობა"
    assert with_lexicon.convert("ra ghirs monats'ileoba?") == "რა ღირს მონაწილეობა?"
    # without it, letter by letter guesses the common გ
    assert GeorgianScriptConverter().convert("ra girs monawileoba") == "რა გირს მონაწილეობა"


def test_lexicon_stem_with_another_ending(with_lexicon):
    # ღონისძიება-ზე lends ღ to -ის; პორტალ-ი lends ტ to -ზე; letter by letter gives გ, თ
    assert with_lexicon.convert("gonisdziebis portalze") == "ღონისძიების პორტალზე"
    assert GeorgianScriptConverter().convert("gonisdziebis portalze") == "გონისძიების პორთალზე"
    assert with_lexicon.convert("mmartvelobis") == "მმართველობის"


@pytest.mark.parametrize(
    "latin, georgian",
    [
        ("gamarjoba", "გამარჯობა"),
        ("saqartvelo", "საქართველო"),
        ("Tbilisi", "თბილისი"),
        ("madloba, kargad var!", "მადლობა, კარგად ვარ!"),
        ("shekhvedra", "შეხვედრა"),
        ("xval", "ხვალ"),
        ("ts'erili", "წერილი"),
        ("k'argi", "კარგი"),
    ],
)
def test_letter_by_letter_without_lexicon(latin, georgian):
    assert GeorgianScriptConverter().convert(latin) == georgian


@pytest.mark.parametrize(
    "latin, georgian",
    [
        ("Ria", "ღია"),
        ("mmarTveloba", "მმართველობა"),
        ("SeiZleba", "შეიძლება"),
        ("evrosabWo", "ევროსაბჭო"),
        ("Cemi", "ჩემი"),
    ],
)
def test_keyboard_capitals(latin, georgian):
    assert GeorgianScriptConverter().convert(latin) == georgian


def test_capital_at_the_start_read_as_plain_only_for_a_known_word():
    converter = GeorgianScriptConverter.from_texts(["სალომე მოვიდა"])
    assert converter.convert("Salome movida") == "სალომე მოვიდა"
    assert converter.convert("Sios garda") == "შიოს გარდა"


def test_keyboard_capitals_typed_without_shift_found_in_the_lexicon(with_lexicon):
    assert with_lexicon.convert("ckviani qalaqebi") == "ჭკვიანი ქალაქები"


def test_acronyms_digits_punctuation_and_keep_words_unchanged():
    converter = GeorgianScriptConverter(keep={"Faber", "Box"})
    assert converter.convert("AVATAR ra aris?") == "AVATAR რა არის?"
    assert converter.convert("kodi H9VQ2ML6, 12 saati") == "კოდი H9VQ2ML6, 12 საათი"
    assert converter.convert("Faber Box sad aris") == "Faber Box სად არის"
    assert converter.convert("AVATAR-is mizani") == "AVATAR-ის მიზანი"


def test_georgian_script_left_as_it_is(with_lexicon):
    text = "რა არის ღია მმართველობა? ra aris"
    assert with_lexicon.convert(text) == "რა არის ღია მმართველობა? რა არის"


def test_most_frequent_spelling_wins():
    converter = GeorgianScriptConverter({"თავი": 5, "ტავი": 1})
    assert converter.convert("tavi") == "თავი"


def test_fast_and_deterministic(with_lexicon):
    messages = ["ra girs monawileoba gonisdziebaze?", "Ria mmarTvelobis principebi"] * 500
    start = time.perf_counter()
    first = [with_lexicon.convert(m) for m in messages]
    per_message = (time.perf_counter() - start) / len(messages)
    assert per_message < 0.001
    assert first == [GeorgianScriptConverter.from_texts(LEXICON).convert(m) for m in messages]


@pytest.mark.parametrize("typed, expected", [
    ("4kviani temi", "ჭკვიანი თემი"),  # "4" for its shape: ჭ
    ("4emi saxli", "ჩემი სახლი"),  # ... and ჩ
    ("24 maisi", "24 მაისი"),  # a number stays one
])
def test_a_four_inside_a_word_is_the_letter_it_looks_like(typed, expected):
    assert GeorgianScriptConverter.from_texts(["ჭკვიანი თემი", "ჩემი სახლი", "მაისი"]).convert(typed) == expected


def test_english_words_borrowed_mid_message_stay_english():
    # when does it start? and where: "and where" is English, the rest Georgian
    converted = GeorgianScriptConverter.from_texts([]).convert("rodis iwyeba? and where")
    assert converted.startswith("როდის") and converted.endswith("and where"), converted


@pytest.mark.parametrize("typed, expected", [
    # Caps Lock on: where is it held and what does it cost
    ("SAD TARDEBA DA RA GHIRS", "სად ტარდება და რა ღირს"),
    ("gamarjoba RODIS IWYEBA ES", "გამარჯობა როდის იწყება ეს"),  # most words shouted
])
def test_a_message_typed_with_caps_lock_is_read_as_if_in_lower_case(typed, expected):
    converter = GeorgianScriptConverter.from_texts(["სად ტარდება და რა ღირს", "გამარჯობა როდის იწყება ეს"])
    assert converter.convert(typed) == expected


def test_capitals_in_a_few_words_stay_acronyms_and_keyboard_keys():
    converter = GeorgianScriptConverter.from_texts(["რა არის", "და"])
    assert converter.convert("AVATAR da ALDA ra aris") == "AVATAR და ALDA რა არის"
