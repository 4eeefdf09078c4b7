"""The shared spelling of Georgian, language requests, and the conversation's language."""

import pytest

from components.form_answers import question_words
from components.georgian import (
    chat_spelled_out,
    conversation_language,
    language_of_events,
    georgian_share,
    georgian_skeleton,
    in_mkhedruli,
    message_language,
    normalise_tokens,
    requested_language,
    schio_in_georgian,
    translit_digits,
    translit_skeleton,
    without_chat_addressing,
)


def forms(text, writing):
    return [form for form, _, _ in normalise_tokens(text, writing)]


@pytest.mark.parametrize(
    "georgian, latin",
    [
        ("რა არის ღია მმართველობა", "ra aris ghia mmartveloba"),  # phonetic
        ("რა არის ღია მმართველობა", "ra aris Ria mmarTveloba"),  # keyboard layout
        ("რა არის ღია მმართველობა", "ra aris gia mmartveloba"),  # lazy
        ("მინდა დავრეგისტრირდე ღონისძიებაზე", "minda davregistrirde gonisdziebaze"),
        ("როდის არის ივენთი", "rodis aris ivent'i"),  # national, with apostrophes
        ("პროექტის შესახებ", "p'roekt'is shesaxeb"),
        ("წევრები", "wevrebi"),
        ("წევრები", "ts'evrebi"),
        ("ქალაქები", "qalaqebi"),
        ("თუ შეიძლება", "Tu SeiZleba"),
        ("ეს ჟურნალი", "es Jurnali"),
    ],
)
def test_georgian_letters_and_translit_meet_in_one_spelling(georgian, latin):
    assert forms(georgian, "ka") == forms(latin, "ka-Latn")


def test_sentence_initial_capital_is_grammar_not_a_keyboard_key():
    assert translit_skeleton("Rodis", sentence_initial=True) == "rodis"
    assert translit_skeleton("Rodis", sentence_initial=False) == "godis"
    assert forms("Rodis aris? Sad aris", "ka-Latn") == ["rodis", "aris", "sad", "aris"]


def test_acronyms_stay_acronyms():
    assert translit_skeleton("AVATAR") == "avatar"
    assert forms("AVATAR-ის შესახებ", "ka") == ["avatar", "is", "shesakheb"]


def test_english_is_only_lower_cased():
    assert forms("What's the AVATAR project? Don't know", "en") == [
        "whats", "the", "avatar", "project", "dont", "know"]


def test_a_phones_shortenings_are_spelled_out_in_english_only():
    assert forms("wen is it, r u a bot? pls thx", "en") == [
        "when", "is", "it", "are", "you", "a", "bot", "please", "thanks"]
    assert forms("is it 4 days or 2", "en") == ["is", "it", "4", "days", "or", "2"]  # numbers stay numbers
    assert forms("r u", "ka-Latn") == ["r", "u"]  # Georgian letters, not English shortenings


@pytest.mark.parametrize("text, writing", [
    ("reg jer Riaa?", "ka-Latn"),  # is registration still open?
    ("რეგ ჯერ ღიაა?", "ka"),
    ("reg ჯერ ღიაა?", "ka"),  # the Latin shortening in a Georgian-script message
])
def test_a_phones_shortenings_are_spelled_out_in_georgian_too(text, writing):
    assert forms(text, writing) == forms("რეგისტრაცია ჯერ ღიაა?", "ka")
    assert forms("msg-s davtoveb", "ka-Latn")[0] == forms("შეტყობინება", "ka")[0]  # I'll leave a message
    assert forms("is reg still open", "en")[1] == "registration"


def test_token_offsets_point_into_the_original_text():
    text = "ra aris p'roekt'i?"
    assert [(text[s:e], f) for f, s, e in normalise_tokens(text, "ka-Latn")] == [
        ("ra", "ra"), ("aris", "aris"), ("p'roekt'i", "proekti")]


def test_mtavruli_capitals_fold_to_mkhedruli():
    assert georgian_skeleton("ᲛᲘᲜᲓᲐ") == georgian_skeleton("მინდა") == "minda"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("English please", "en"),
        ("can you answer in english", "en"),
        ("ინგლისურად მიპასუხე", "en"),
        ("inglisurad", "en"),
        ("ქართულად", "ka"),
        ("kartulad mitxari", "ka"),
        ("qartulad", "ka"),
        ("answer in georgian please", "ka"),
        ("i don't speak georgian", None),
        # how well one knows it, not a request: "will there be translation? I know English badly"
        ("targmani iqneba? inglisuri cudad vici", None),
        ("ინგლისური ცოტა ვიცი", None),
        ("my english is bad", None),
        ("ინგლისური ცუდად ვიცი, ქართულად შეიძლება?", "ka"),
        ("bad english, in georgian please", "ka"),
        ("translate english to georgian", None),
        ("what is open government in georgian municipalities and villages", None),
        ("hello", None),
    ],
)
def test_requested_language(text, expected):
    assert requested_language(text) == expected


def test_a_georgian_polite_question_with_a_negation_still_names_the_language():
    from components.georgian import named_language

    # "can't you answer in Georgian?", "don't you have a Georgian version?": asking, politely
    assert named_language("ქართულად ვერ მიპასუხებ?", negations=False) == "ka"
    assert named_language("kartuli versia ar gakvt?", negations=False) == "ka"
    # knowing a language well or badly, and two languages, name none to switch to
    assert named_language("ინგლისური კარგად არ ვიცი, თარგმანი იქნება?", negations=False) is None
    assert named_language("ქართულად თუ ინგლისურად ილაპარაკებენ?", negations=False) is None
    # an English "not" takes back the language after it, a Georgian one the language before it
    assert named_language("pls answer in english not georgian", negations=False) == "en"
    assert named_language("qartulad ara inglisurad mipasuxe", negations=False) == "en"
    assert named_language("ინგლისურად არ ვიცი, ქართულად მიპასუხე", negations=False) == "ka"
    # setting the conversation's language, a negation still takes it back
    assert named_language("i don't speak georgian") is None
    # two named, one of them denied: the other is the one to answer in
    assert named_language("kartulad mipasukhe inglisurad ar vici", negations=False) == "ka"
    assert named_language("i dont speak english, answer in georgian please", negations=False) == "ka"


def test_a_long_request_to_switch_switches_to_the_language_it_names():
    parse = {"text": "could you please switch to the georgian language", "language": "en",
             "intent": {"name": "switch_language"}}
    assert message_language(parse, in_form=False) == "ka"
    assert message_language(parse, in_form=True) == "ka"
    # a question that names a language, understood as something else, keeps its own
    parse = {**parse, "text": "what is open government in georgian municipalities", "intent": {"name": "ask_open_government"}}
    assert message_language(parse, in_form=False) == "en"


def test_georgian_share():
    assert georgian_share("გამარჯობა AVATAR") == pytest.approx(9 / 15)
    assert georgian_share("123 !!") is None


def test_conversation_keeps_its_language_through_undecided_messages():
    assert conversation_language([]) == "ka"
    assert conversation_language(["en", None, None]) == "en"
    assert conversation_language(["en", "ka", None]) == "ka"
    assert conversation_language([None, "bogus"]) == "ka"


def test_answers_typed_into_a_form_do_not_switch_the_language():
    latin_name = {"language": "en", "writing": "en"}
    events = [("user", {"language": "ka", "writing": "ka-Latn"}), ("form", "registration_form"),
              ("user", latin_name), ("user", {"language": "en", "writing": "en"})]
    assert language_of_events(events) == "ka"
    asked = {"language": "en", "writing": "en", "language_requested": True}
    assert language_of_events(events + [("user", asked)]) == "en"
    assert language_of_events(events + [("user", {"language": "ka", "writing": "ka"})]) == "ka"
    assert language_of_events(events + [("form", None), ("user", latin_name)]) == "en"


@pytest.mark.parametrize("token, expected", [
    ("4kviani", "chkviani"), ("4emi", "chemi"), ("sa4iro", "sachiro"),
    ("24", "24"), ("4th", "4th"), ("24shi", "24shi"), ("4e", "4e"),
])
def test_a_four_for_a_letter_in_translit(token, expected):
    assert translit_digits(token) == expected
    assert forms("4kviani temi", "ka-Latn") == forms("chkviani temi", "ka-Latn")


@pytest.mark.parametrize("typed, expected", [
    ("skioshi rodis aris", "shioshi rodis aris"), ("Skios konferencia", "Shios konferencia"),
    ("სკიოში როდისაა", "შიოში როდისაა"), ("what about schio", "what about schio"), ("risko", "risko"),
])
def test_schio_as_italians_say_it_is_spelled_as_in_georgian(typed, expected):
    assert schio_in_georgian(typed) == expected
    assert forms("skiomde rogor chavide", "ka-Latn") == forms("shiomde rogor chavide", "ka-Latn")


@pytest.mark.parametrize("text, writing, word", [
    ("sadaris zustad", "ka-Latn", "sad"),  # sad aris, where is it, in one word
    ("rodisaris es", "ka-Latn", "rodis"),
    ("raris es", "ka-Latn", "ra"),
    ("სადარის", "ka", "sad"),
])
def test_is_run_into_a_question_word_leaves_the_question_word(text, writing, word):
    assert word in question_words(forms(text, writing))


def test_a_word_that_only_ends_like_is_is_no_question():
    assert question_words(forms("gaaris dasrulebuli", "ka-Latn")) == set()


def test_ra_after_i_am_is_a_filler_and_ragha_asks():
    # I'm retired, you know (no question); what is a smart community, then?
    assert question_words(forms("აბა ისე ვარ რა პენსიაზე ვარ უკვე", "ka")) == set()
    assert question_words(forms("ჭკვიანი თემი რაღაა", "ka")) == {"ragaa"}
    assert "ra" in question_words(forms("ra aris es", "ka-Latn"))


def test_english_words_in_translit_keep_their_english_form():
    said = forms("ghonisdzieba rodis aris? and where", "ka-Latn")
    assert said[-2:] == ["and", "where"] and said[1] == "rodis"
    # "is" (ის, that) and "me" (მე, I) are Georgian words too: read as Georgian
    assert forms("is me var", "ka-Latn") == forms("ის მე ვარ", "ka")


def test_georgian_capitals_are_read_in_everyday_letters():
    # ᲠᲝᲓᲘᲡ ᲐᲠᲘᲡ? (when is it?) typed in Mtavruli; Latin letters untouched
    assert in_mkhedruli("ᲠᲝᲓᲘᲡ ᲐᲠᲘᲡ AVATAR?") == "როდის არის AVATAR?"


def test_a_phone_s_english_shortenings_are_spelled_out_for_the_sentence_vectors():
    assert chat_spelled_out("wen is it n how much, r u a bot? thx") == "when is it n how much, are you a bot? thanks"


@pytest.mark.parametrize("typed, read", [
    ("@avatar_bot სად ტარდება?", "სად ტარდება?"),
    ("when is it @AvatarBot?", "when is it ?"),
    ("/register და სასტუმრო?", "register და სასტუმრო?"),
    ("/check_registration@avatar_bot nino@mail.ge", "check registration nino@mail.ge"),
    ("/register", "/register"),  # a command alone is the intent it names
    ("@avatar_bot", "@avatar_bot"),  # nothing else: as typed
    ("my e-mail is nino@robot.ge", "my e-mail is nino@robot.ge"),  # an address is no bot's name
])
def test_a_chat_app_s_addressing_of_the_bot_is_left_out(typed, read):
    assert without_chat_addressing(typed) == read

