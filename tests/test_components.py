"""The custom NLU components, trained and loaded through Rasa's own model storage."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.georgian import georgian_share, normalised_forms
from components.language_detector import LanguageDetector, MissingWritingLabels
from components.tokenizer import GeorgianAwareTokenizer


@pytest.fixture(scope="module")
def training_data():
    return load_data("data/nlu")


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def make_detector(storage, training_data=None):
    config = {**LanguageDetector.get_default_config()}
    resource = Resource("language_detector")
    context = ExecutionContext(graph_schema=None, node_name="language_detector")
    detector = LanguageDetector.create(config, storage, resource, context)
    if training_data is not None:
        detector.train(training_data)
    return LanguageDetector.load(config, storage, resource, context)


def detect(detector, text):
    message = Message.build(text=text)
    detector.process([message])
    return message.get("writing"), message.get("language")


def test_explicit_requests_are_marked(storage, training_data):
    detector = make_detector(storage, training_data)
    assert detector.detect("English please") == ("en", "en", True)
    assert detector.detect("what is open data") == ("en", "en", False)


@pytest.mark.parametrize(
    "text, writing, language",
    [
        ("რა არის ღია მმართველობა?", "ka", "ka"),
        ("ra aris ghia mmartveloba", "ka-Latn", "ka"),
        ("minda davregistrirde gonisdziebaze", "ka-Latn", "ka"),
        ("rodis aris ivent'i", "ka-Latn", "ka"),
        ("what is open government", "en", "en"),
        ("I would like to register for the event", "en", "en"),
        ("English please", "en", "en"),
        ("ქართულად", "ka", "ka"),
        ("answer in georgian", "en", "ka"),
        ("👍", None, None),
        # one English word Georgian chat borrows, alone: English ("visa" is also ვისა, whose)
        ("Visa??", "en", "en"),
        ("viza?", "ka-Latn", "ka"),
        # an e-mail address is no language: its name would pass for Latin-letter Georgian
        ("nino.beridze88@gmail.com am i registered??", "en", "en"),
        ("nino.beridze88@gmail.com", None, None),
        ("nino.beridze88@gmail.com daregistrirebuli var?", "ka-Latn", "ka"),
    ],
)
def test_detector_trained_from_the_data_tells_the_writing(storage, training_data, text, writing, language):
    detector = make_detector(storage, training_data)
    assert detect(detector, text) == (writing, language)


@pytest.mark.parametrize("text, read_as", [
    ("registracia ჯერ ღიაა?", "რეგისტრაცია ჯერ ღიაა?"),  # is registration still open?
    ("ვიზა mchirdeba italiashi?", "ვიზა მჭირდება იტალიაში?"),
    ("Faber Box სადაა?", None),  # a name with a capital stays
    ("online ვუყურო შეიძლება? deadline როდისაა", None),  # English words stay
    ("visa მჭირდება?", None),  # ვისა would be "whose"
])
def test_a_georgian_word_in_latin_letters_in_a_georgian_message_is_read_in_georgian(storage, training_data,
                                                                                      text, read_as):
    detector = make_detector(storage, training_data)
    message = Message.build(text=text)
    detector.process([message])
    # in Georgian letters, one by one: the shared spelling reads them as the word
    assert normalised_forms(message.get("text"), "ka") == normalised_forms(read_as or text, "ka")
    assert georgian_share(message.get("text")) == 1.0 if read_as else message.get("text") == text
    assert message.get("text_as_typed") == (text if read_as else None)


def test_detector_refuses_training_data_without_writing_tags(storage):
    untagged = TrainingData([Message.build(text="hello", intent="greet"),
                             Message.build(text="gamarjoba", intent="greet")])
    with pytest.raises(MissingWritingLabels, match="lang: en"):
        make_detector(storage, untagged)


def test_training_examples_take_their_writing_from_the_tags(storage, training_data):
    detector = make_detector(storage, training_data)
    data = load_data("data/nlu")
    detector.process_training_data(data)
    for example in data.intent_examples:
        lang = example.get("metadata")["intent"]["lang"]
        assert example.get("writing") == lang


def test_tokenizer_gives_translit_and_georgian_the_same_tokens(storage, training_data):
    detector = make_detector(storage, training_data)
    tokenizer = GeorgianAwareTokenizer(GeorgianAwareTokenizer.get_default_config())
    messages = [Message.build(text="რა არის ღია მმართველობა?"), Message.build(text="ra aris Ria mmarTveloba")]
    tokenizer.process(detector.process(messages))
    georgian, latin = ([t.text for t in m.get("text_tokens")] for m in messages)
    assert georgian == latin == ["ra", "aris", "gia", "mmartveloba"]
    offsets = [(t.start, t.end) for t in messages[1].get("text_tokens")]
    assert offsets == [(0, 2), (3, 7), (8, 11), (12, 23)]


@pytest.mark.parametrize("text, is_data", [
    ("cancel.nino@example.org", True),
    (" <nino@example.ge> ", True),
    ("nino@example", True),
    ("@", True),
    ("K7MP2QXA", True),
    ("k7mp-2qxa", True),
    ("register", False),
    ("ALDARASA", False),  # an 8-letter word is not a code
    ("cancel my registration", False),
    ("nino at example dot org", False),
])
def test_form_data_is_recognised(text, is_data):
    from components.form_answers import is_form_data

    assert is_form_data(text) == is_data


@pytest.mark.parametrize("text, has_code", [
    ("kodi K7MX3QPA, ra mdgomareobaa?", True),
    ("my code is k7mp-2qxa.", True),
    ("code:K7MP2QXA!", True),
    ("ALDARASA ra aris", False),  # an 8-letter word
    ("k7mx3qpa@gmail.com", False),  # part of an e-mail address
    ("https://example.org/K7MP2QXA", False),  # part of a web address
    ("avatar2026 event", False),  # ten characters
])
def test_a_confirmation_code_inside_a_message_is_found(text, has_code):
    from avatar_shared.codes import carries_a_code

    assert carries_a_code(text) == has_code


# --- answers typed into the registration form ------------------------------------------

@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load("domain")


def form_tracker(domain, form, requested_slot):
    from rasa.shared.core.events import ActiveLoop, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActiveLoop(form), SlotSet("requested_slot", requested_slot)] if form else []
    return DialogueStateTracker.from_events("citizen", events, domain.slots)


def recognised(text, writing, intent, confidence, tracker):
    from components.form_answers import FormAnswerRecognizer

    message = Message.build(text=text)
    message.set("writing", writing)
    message.set("intent", {"name": intent, "confidence": confidence})
    FormAnswerRecognizer.create({}, None, None, None).process([message], tracker)
    return message.get("intent")["name"]


@pytest.mark.parametrize("text, writing, intent, confidence", [
    ("Open Data Lab Veneto", "en", "ask_open_data", 0.55),
    ("Municipality of Thiene", "en", "ask_avatar_partners", 0.48),
    ("ღია მონაცემების ლაბორატორია", "ka", "ask_open_data", 0.7),
    ("Telavis municipaliteti", "ka-Latn", "ask_avatar_partners", 0.34),
])
def test_an_organisation_with_topic_words_is_the_answer_where_the_form_asks_for_it(domain, text, writing, intent,
                                                                                  confidence):
    for slot in ("full_name", "affiliation"):
        assert recognised(text, writing, intent, confidence, form_tracker(domain, "registration_form", slot)) == "inform"
    # anywhere else it stays what the classifier said
    assert recognised(text, writing, intent, confidence, form_tracker(domain, None, None)) == intent
    assert recognised(text, writing, intent, confidence, None) == intent
    assert recognised(text, writing, intent, confidence,
                      form_tracker(domain, "registration_form", "consent")) == intent


@pytest.mark.parametrize("text, writing, intent, confidence", [
    ("open data lab?", "en", "ask_open_data", 0.55),  # a question mark
    ("where is it", "en", "ask_event_venue", 0.6),  # a question word
    ("სად ტარდება", "ka", "ask_event_venue", 0.6),
    ("sad tardeba", "ka-Latn", "ask_event_venue", 0.6),
    ("rodis iwyeba", "ka-Latn", "ask_event_date", 0.4),
    ("the partner towns", "en", "ask_avatar_partners", 0.95),  # the classifier is sure
    ("stop", "en", "stop", 0.3),  # means something in the form itself
    ("Valdagno", "en", "inform", 0.6),
])
def test_a_question_in_the_form_stays_a_question(domain, text, writing, intent, confidence):
    tracker = form_tracker(domain, "registration_form", "affiliation")
    assert recognised(text, writing, intent, confidence, tracker) == intent


def test_every_form_and_slot_the_recognizer_names_exists(domain):
    from components.form_answers import FormAnswerRecognizer

    config = FormAnswerRecognizer.get_default_config()
    for form, slots in config["free_text_slots"].items():
        assert form in domain.form_names
        assert set(slots) <= set(domain.required_slots_for_form(form))
    assert set(config["keep_intents"]) <= set(domain.intents)
