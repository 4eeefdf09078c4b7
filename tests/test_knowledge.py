"""The knowledge base: the files maintainers edit, their checks, and the answers rendered
from them with the event's facts."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain

from actions import content
from actions.knowledge import render_entry
from components import knowledge
from components.georgian import normalised_forms, ordinal_number
from components.router import (_EVENT_DATE, _another_matter, _sum, _asks_on_its_own, _asks_or_asks_to_be_given,
                               _carries_personal_data, _emoji_reply,
                               _ends_with_thanks, _event_topic_asked, _imperative_request, _lead, _one_word,
                               _only_a_guess, _only_calls_for_attention, _only_tells_an_age, _question_after_a_story, _small_talk,
                               _tells_a_situation, _the_same_for, names_the_event, names_the_event_or_its_place,
                               split_parts, subject)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(PROJECT_DIR / "domain")).as_dict()

ENTRY = {
    "id": "event-parking",
    "fact": "parking",
    "questions": {"ka": ["სად დავაყენო მანქანა?", "პარკინგი არის?"],
                  "ka-Latn": ["sad davayeno manqana", "parkingi aris?"],
                  "en": ["where can I park?", "is there parking"]},
    "answer": {"ka": "პარკინგი: {fact}", "en": "Parking: {fact}"},
    "unknown": {"ka": "ჯერ არ ვიცი. მიმართეთ {ask}.", "en": "Not published yet. Ask {ask}."},
}


def write(directory: Path, entries: list, name: str = "extra.yml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump({"entries": entries}, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_knowledge_base_is_valid():
    entries = knowledge.load(PROJECT_DIR / "content" / "knowledge")
    assert len(entries) >= 25
    for entry in entries.values():
        assert set(entry.questions) == {"ka", "ka-Latn", "en"}
        assert entry.answer["ka"] and entry.answer["en"]


@pytest.mark.parametrize("change, message", [
    (lambda e: e["answer"].pop("en"), "'answer' needs a text in each of ka, en"),
    (lambda e: e["questions"].pop("ka-Latn"), "at least 2 example questions in 'ka-Latn'"),
    (lambda e: e.pop("unknown"), "needs an 'unknown' answer"),
    (lambda e: e.update(id="Event_Parking"), "an id is lower-case words joined by hyphens"),
    (lambda e: e["answer"].update(en="Parking: {price}"), "unknown placeholder {price}"),
    (lambda e: e.update(links=[{"title": {"ka": "ა", "en": "a"}, "url": "ftp://x"}]), "http(s) 'url'"),
])
def test_a_broken_entry_is_refused_with_its_file_and_id(tmp_path, change, message):
    entry = yaml.safe_load(yaml.safe_dump(ENTRY))
    change(entry)
    write(tmp_path, [entry])
    with pytest.raises(knowledge.KnowledgeError) as error:
        knowledge.load(tmp_path)
    assert message in str(error.value)
    assert "extra.yml" in str(error.value)


def test_one_question_cannot_answer_two_entries(tmp_path):
    other = {**yaml.safe_load(yaml.safe_dump(ENTRY)), "id": "event-car-park"}
    other["questions"]["en"] = ["Where can i park", "car park?"]  # the first is the same question
    write(tmp_path, [ENTRY, other])
    with pytest.raises(knowledge.KnowledgeError, match="also a question of 'event-parking'"):
        knowledge.load(tmp_path)


def test_an_edit_is_read_again_and_a_broken_edit_keeps_the_last_good_entries(tmp_path):
    base = knowledge.KnowledgeBase(tmp_path)
    path = write(tmp_path, [ENTRY])
    assert list(base.entries()) == ["event-parking"]
    time.sleep(0.01)
    path.write_text("entries: [{id: broken", encoding="utf-8")
    errors = []
    assert list(base.entries_or_last(on_error=errors.append)) == ["event-parking"]
    assert errors and "not valid YAML" in str(errors[0])


def event(**changes) -> content.Event:
    fields = dict(id="e", title={"ka": "ღია მმართველობა", "en": "Open Government"}, start=(5, 24), end=(5, 27),
                  year=None, venue={"ka": "შიო", "en": "Schio"}, agenda_url=None, registration_url=None,
                  registration_open=True, registration_deadline=None, capacity=None,
                  website="https://www.avatarlab.it", facts={"parking": None})
    fields.update(changes)
    return content.Event(**fields)


def entry() -> knowledge.Entry:
    return knowledge.parse_entry(ENTRY, "extra.yml")


def test_an_unpublished_fact_says_so_and_where_to_ask():
    message = render_entry(entry(), event(), DOMAIN, "en")
    assert message["text"] == "Not published yet. Ask the organisers through the project's website, https://www.avatarlab.it."
    georgian = render_entry(entry(), event(contact_email="info@example.org"), DOMAIN, "ka")["text"]
    assert "info@example.org" in georgian and georgian.startswith("ჯერ არ ვიცი")


def test_a_published_fact_is_the_answer():
    facts = {"parking": {"ka": "უფასო, შენობის უკან", "en": "free, behind the building"}}
    assert render_entry(entry(), event(facts=facts), DOMAIN, "en")["text"] == "Parking: free, behind the building"
    assert render_entry(entry(), event(facts=facts), DOMAIN, "ka")["text"] == "პარკინგი: უფასო, შენობის უკან"


def test_register_now_is_offered_only_while_registration_is_open():
    raw = {**ENTRY, "register_button": True}
    with_button = knowledge.parse_entry(raw, "extra.yml")
    assert render_entry(with_button, event(), DOMAIN, "en")["buttons"] == [{"title": "Register now", "payload": "/register"}]
    assert render_entry(with_button, event(), DOMAIN, "ka")["buttons"][0]["title"] == "დარეგისტრირება ახლავე"
    closed = event(registration_deadline=dt.date(2000, 1, 1))
    assert render_entry(with_button, closed, DOMAIN, "en")["buttons"] == []


def test_an_entry_can_offer_the_look_up_or_the_cancellation():
    """ "What if I can't come?" is answered, with the cancellation one tap away, also once
    registration has closed (a registration made earlier can still be cancelled)."""
    with_button = knowledge.parse_entry({**ENTRY, "buttons": ["cancel_registration"]}, "extra.yml")
    closed = event(registration_open=False)
    assert render_entry(with_button, closed, DOMAIN, "en")["buttons"] == [
        {"title": "Cancel my registration", "payload": "/cancel_registration"}]
    assert render_entry(with_button, closed, DOMAIN, "ka")["buttons"][0]["title"] == "რეგისტრაციის გაუქმება"
    for wrong in (["register"], "cancel_registration", ["delete_everything"]):
        with pytest.raises(knowledge.KnowledgeError, match="'buttons'"):
            knowledge.parse_entry({**ENTRY, "buttons": wrong}, "extra.yml")


def test_every_fact_the_knowledge_base_names_is_in_the_event_file():
    events = content.parse_events(PROJECT_DIR / "content" / "events.yml")["current"]
    for item in knowledge.load(PROJECT_DIR / "content" / "knowledge").values():
        if item.fact:
            assert item.fact in events.facts, item.id


@pytest.mark.parametrize("text, writing, number", [
    ("the fourth one?", "en", 4), ("explain number 10", "en", 10), ("მეოთხე?", "ka", 4),
    ("meotxe?", "ka-Latn", 4), ("მეთორმეტე რას ნიშნავს", "ka", 12), ("and the 2nd", "en", 2),
    ("what about it", "en", None),
])
def test_ordinals_and_numbers_name_a_principle(text, writing, number):
    assert ordinal_number(text, writing) == number


@pytest.mark.parametrize("text, writing, number", [
    ("me-9 principi romelia?", "ka-Latn", 9),
    ("მე-4 პრინციპი რას ნიშნავს", "ka", 4),
    ("what's the 9th principle", "en", 9),
    ("the fifth principle", "en", 5),
    ("list the 12 principles", "en", None),  # a count, not a place in the list
    # ... or a number marked as one
    ("principi #5 ra aris", "ka-Latn", 5),
    ("no. 7 principle pls", "en", 7),
    ("პრინციპი №11", "ka", 11),
    ("12 principles. now", "en", None),  # "now" is no "no"
])
def test_only_an_ordinal_names_a_principle_when_the_principles_are_asked_for(text, writing, number):
    assert ordinal_number(text, writing, digits=False) == number


@pytest.mark.parametrize("text, parts", [
    ("when and where is the event", ["when", "where is the event"]),
    ("როდის და სად არის?", ["როდის", "სად არის"]),
    ("gamarjoba, ra aris avatari?", ["gamarjoba, ra aris avatari"]),  # the greeting is found by its words
    ("I use a wheelchair, can I get in?", ["I use a wheelchair, can I get in"]),
    ("Open Data Institute", ["Open Data Institute"]),
    # a comma between two questions cuts; a full stop ends a sentence, not a name or a date
    ("სად ტარდება, რა რიცხვებშია?", ["სად ტარდება", "რა რიცხვებშია"]),
    ("im from telavi. can ngos attend", ["im from telavi", "can ngos attend"]),
    ("is my.gov.ge open on 24.05?", ["is my.gov.ge open on 24.05"]),
    # the event's title is one name; a dash between spaces ends a clause, not "24-27"
    ("open government and smart communities 24-27 may - is it free?",
     ["open government & smart communities 24-27 may", "is it free"]),
    ("ღია მმართველობა და ჭკვიანი საზოგადოებები რა არის?", ["ღია მმართველობა & ჭკვიანი საზოგადოებები რა არის"]),
    ("what is open government and a smart community", ["what is open government", "a smart community"]),
])
def test_a_message_is_cut_into_parts(text, parts):
    assert split_parts(text, "ka" if any("\u10d0" <= c <= "\u10ff" for c in text) else "en") == parts


@pytest.mark.parametrize("text, writing, lead", [
    ("thank you, what is avatar?", "en", ("thank", 2)),
    ("thanks a lot, where is it", "en", ("thank", 3)),
    ("დიდი მადლობა, სად არის?", "ka", ("thank", 2)),
    ("didi madloba", "ka-Latn", ("thank", 2)),
    ("gamarjoba, ra aris avatari", "ka-Latn", ("greet", 1)),
    ("gamarjobaT yvelas, ra aris avatari", "ka-Latn", ("greet", 2)),
    ("დილა მშვიდობის, სად არის?", "ka", ("greet", 2)),
    ("everyone can come?", "en", (None, 0)),
    ("hey, ra aris avatari?", "ka-Latn", ("greet", 1)),  # "hey" typed as Georgian: "hek"
    ("მოგესალმებით, სად ტარდება?", "ka", ("greet", 1)),
    ("ჰოი ჩამწერე რა", "ka", ("greet", 1)),  # hey, sign me up
    ("privet, rodis iwyeba", "ka-Latn", ("greet", 1)),
    ("gaumarjos, rodis iwyeba?", "ka-Latn", ("greet", 1)),
    ("გაუმარჯოს, რას შვრები?", "ka", ("greet", 1)),  # small talk after it: _small_talk
    # "you" and "დიდი" (big) thank only beside a thanks word
    ("you answered something I never asked", "en", (None, 0)),
    ("დიდი ქალაქია?", "ka", (None, 0)),
    # a hesitation before the greeting is the greeting's; alone it is nothing
    ("ee gamarjoba ise ra mainteresebs", "ka-Latn", ("greet", 2)),  # um hello so what I'd like to know
    ("um hello, when is it", "en", ("greet", 2)),
    ("ee ra ghirs", "ka-Latn", (None, 0)),  # um what does it cost
    ("მადლ დიდი, რა პროგრამაა?", "ka", ("thank", 2)),  # thanks (cut short) a lot
    # how one addresses the assistant, before a greeting; "ok" beside a thanks
    ("ქალბატონო, გამარჯობათ. ბათუმიდან გწერთ", "ka", ("greet", 2)),  # madam, hello
    ("dear assistant, hi, is it free", "en", ("greet", 3)),
    ("batono rodis aris", "ka-Latn", (None, 0)),  # sir, when is it: no greeting
    ("ok მადლობა. ღია მონაცემები რა არის", "ka", ("thank", 2)),
    ("ok when is it", "en", (None, 0)),
    ("dzalian gmadlobt, kide erti: sertifikats mogvcemen?", "ka-Latn", ("thank", 2)),  # thank you very much
    ("ძალიან კარგი ღონისძიებაა?", "ka", (None, 0)),  # very good event? "very" thanks only beside a thanks
    # ... and after the greeting or the thanks
    ("gamarjoba megobaro when and where is it", "en", ("greet", 2)),  # hello friend
    ("მადლობა ბატონო, კიდევ ერთი კითხვა", "ka", ("thank", 2)),  # thank you sir, one more question
    ("megobaro rodis aris", "ka-Latn", (None, 0)),  # friend, when is it: no greeting
])
def test_a_greeting_or_thanks_in_front_is_found_by_its_words(text, writing, lead):
    assert _lead(normalised_forms(text, writing)) == lead


@pytest.mark.parametrize("text, writing, asks", [
    ("where is the event", "en", True),
    ("can someone call me back", "en", True),
    ("is it free?", "en", True),
    ("ghonisdziebaze ra enaze ilaparakeben", "ka-Latn", True),
    # an English verb asks only at the head: the rest of "I'll leave a message and ..."
    ("someone can get back to me", "en", False),
    ("the deadline is in may", "en", False),
    # a condition is part of another question: "if I fall ill", "if it rains"
    ("tu avad gavkhdi", "ka-Latn", False),
    ("თუ ავად გავხდი", "ka", False),
    ("if it rains", "en", False),
    ("tu ar movedi ra moxdeba", "ka-Latn", True),
    # "ra" after an imperative softens a request ("cancel it, will you"); it asks elsewhere
    ("registracia gaauqmet ra", "ka-Latn", False),
    ("დამარეგისტრირე რა", "ka", False),
    ("ghonisdziebaze ra enaze ilaparakeben", "ka-Latn", True),
    ("amis shemdeg ra unda gavaketo", "ka-Latn", True),
    # ხო (right?) as a tag at the end or before a negation asks; first, or after "yes", it answers
    ("ufasoa xo", "ka-Latn", True),  # it's free, right
    ("ჩემს ნომერს სხვას ხო არ გადასცემთ", "ka", True),  # you won't pass my number on, will you
    ("ხო, ჩამწერე", "ka", False),  # yes, sign me up
    ("ki xo", "ka-Latn", False),  # yes yes
    # an English tag at the end asks
    ("its free isnt it", "en", True),
    ("its in rome right", "en", True),
    ("all right", "en", False),
])
def test_a_part_asks_on_its_own_only_like_a_question(text, writing, asks):
    assert _asks_on_its_own(text, writing) is asks


def test_the_worked_example_copy_of_the_knowledge_base_loads(tmp_path):
    shutil.copytree(PROJECT_DIR / "content" / "knowledge", tmp_path / "knowledge")
    write(tmp_path / "knowledge", [ENTRY], "parking.yml")
    assert "event-parking" in knowledge.load(tmp_path / "knowledge")


def test_make_evaluate_scores_nothing_fits_as_the_i_dont_know_it_says():
    from scripts.evaluate import answered_intent

    assert answered_intent({"intent": {"name": "nlu_fallback"}, "answers": []}) == "out_of_scope"
    # asking back with topics is not "I don't know"
    asked_back = {"intent": {"name": "nlu_fallback"}, "answers": [{"abstain": True, "ask_back": True}]}
    assert answered_intent(asked_back) == "nlu_fallback"
    assert answered_intent({"intent": {"name": "ask_event"}, "answers": [{"intent": "ask_event"}]}) == "ask_event"
    # unsure, and nothing to offer (the best guess was "none of the topics"): "I don't know"
    unsure = {"intent": {"name": "nlu_fallback"}, "answers": [{"intent": "out_of_scope"}], "offered_topics": []}
    assert answered_intent(unsure) == "out_of_scope"


def test_the_scorers_read_the_reply_as_the_citizen_gets_it():
    from actions.fallback import topic_intents
    from scripts.longtail import answers_of, mark_asking_back

    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "ask_event_date", "confidence": 0.4},
               {"name": "out_of_scope", "confidence": 0.3}]
    asked_back = {"intent": ranking[0], "intent_ranking": ranking, "answers": [{"intent": "ask_event_date"}]}
    out_of_domain = {"intent": ranking[0], "intent_ranking": [ranking[0], ranking[2], ranking[1]],
                     "answers": [{"intent": "out_of_scope"}]}
    answered = {"intent": {"name": "ask_event_date", "confidence": 0.9}, "answers": [{"intent": "ask_event_date"}]}
    parses = [asked_back, out_of_domain, answered]
    mark_asking_back(parses, Domain.load(str(PROJECT_DIR / "domain")))
    assert "ask_event_date" in topic_intents(DOMAIN["responses"])
    assert [answers_of(p) for p in parses] == [["ask_back"], ["abstain"], ["ask_event_date"]]


@pytest.mark.parametrize("label, about", [
    ("ask_event_date", "event"), ("event-fee", "event"), ("registration-open", "event"), ("organisers", "event"),
    ("ask_avatar_duration", "avatar"), ("avatar-hackathon", "avatar"), ("faber-box-address", "faber_box"),
    ("ask_faber_box", "faber_box"), ("speakers-2022", "edition_2022"), ("ask_principle", "principles"),
    ("ask_digital_gym", "digital_gym"), ("georgia-ogp", "open_government"), ("ask_open_data", "open_data"),
    ("georgia-open-data", "open_data"), ("ask_digital_services", None), ("help", None),
])
def test_a_topic_s_subject_is_what_a_follow_up_about_it_reads(label, about):
    assert subject(label) == about


@pytest.mark.parametrize("text, writing, names", [
    ("when is the event?", "en", True), ("კონფერენცია როდისაა?", "ka", True), ("ღონისძიებაზე რა ენაზე", "ka", True),
    ("rodis aris ivent'i", "ka-Latn", True), ("konferencia sad aris", "ka-Latn", True),
    ("rodis iwyeba?", "ka-Latn", False), ("where is it", "en", False), ("სად არის?", "ka", False),
])
def test_a_message_that_names_the_event_is_about_it_whatever_came_before(text, writing, names):
    assert names_the_event(text, writing) == names


@pytest.mark.parametrize("text, writing, other", [
    ("ქონების გადასახადი სად გადავიხადო", "ka", True),  # where do I pay the property tax
    ("jarima rogor gadavixado", "ka-Latn", True),  # how do I pay a fine
    ("is there a concert in schio that week", "en", True),
    ("my passport expired, how do i renew it", "en", True),
    ("do i need a passport to enter italy", "en", False),  # the trip's documents: the event's
    ("is it free to attend", "en", False),
    ("pasporti damWirdeba?", "ka-Latn", False),  # will I need a passport?
    ("pasportis gaaxleba ramdeni jdeba", "ka-Latn", True),  # what does renewing a passport cost
    ("my passport expires in june, do i need a visa", "en", False),  # the trip's visa
    ("gorshi wyali rodis moiva", "ka-Latn", True),  # when will the water be back in Gori
    ("is there a good pizzeria near faber box", "en", True),
    ("წყალტუბოდან ვარ, როდის არის ღონისძიება?", "ka", False),  # from Tskaltubo: a town, not water
    ("სკიოში კარგი პიცა სად ვჭამო", "ka", True),  # where do I eat a good pizza in Schio
    ("pitsundidan var, rodis aris?", "ka-Latn", False),  # from Pitsunda: a town
    ("pasporti davkarge, axali rogor gavaketo", "ka-Latn", True),  # I lost my passport, how do I get a new one
    ("i lost my passport, do i need a visa for the event?", "en", False),  # the visa is the event's
])
def test_another_matter_is_another_service_or_event(text, writing, other):
    assert _another_matter(normalised_forms(text, writing)) == other


@pytest.mark.parametrize("text, writing, age", [
    ("დედაჩემი 70 წლისაა", "ka", True),  # my mother is 70
    ("babuachemi 82 wlis aris", "ka-Latn", True),
    ("my dad is 67 years old", "en", True),
    ("is it 4 days", "en", False),
    ("how old must i be, 17 years", "en", False),
    ("25 წლამდე შეიძლება?", "ka", False),  # is it allowed under 25?
])
def test_a_piece_that_only_tells_an_age(text, writing, age):
    assert _only_tells_an_age(normalised_forms(text, writing)) == age


@pytest.mark.parametrize("text, writing, same_for", [
    ("26th?", "en", "day"),
    ("the last day too?", "en", "day"),
    ("bolo dResac?", "ka-Latn", "day"),  # the last day too?
    ("ბოლო დღესაც?", "ka", "day"),
    ("what about for students?", "en", "group"),
    ("studentebistvisac?", "ka-Latn", "group"),  # for students too?
    ("მასწავლებლებისთვის?", "ka", "group"),  # for teachers?
    ("students?", "en", None),  # may be a question of its own
    ("and online?", "en", None),  # another fact
    ("da onlainac?", "ka-Latn", None),  # and online too?
    ("kidev ra?", "ka-Latn", None),  # what else?
    ("students can come or only officials?", "en", None),
])
def test_the_same_question_for_other_people_or_another_day(text, writing, same_for):
    assert _the_same_for(normalised_forms(text, writing)) == same_for


@pytest.mark.parametrize("text, writing, names", [
    ("whats better fly to venice or verona to reach schio", "en", True),
    ("skiomde rogor chavide", "ka-Latn", True),  # how do I get to Schio
    ("ფაბერ ბოქსთან ახლოს", "ka", True),  # near Faber Box
    ("going to spain on holiday do i need a visa", "en", False),
])
def test_the_event_its_town_or_its_building_named(text, writing, names):
    assert names_the_event_or_its_place(text, writing) == names


@pytest.mark.parametrize("text, writing, topic", [
    ("AVATAR-ის ღონისძიება სად არის? Schio", "ka", "ask_event_venue"),  # where is AVATAR's event?
    ("konferencia rodis iwyeba", "ka-Latn", "ask_event_date"),  # when does the conference start
    ("where is the avatar website", "en", None),  # not the event
    ("when and where is the event", "en", None),  # both: the parts say
])
def test_the_question_word_says_which_of_the_event_s_topics_is_asked(text, writing, topic):
    assert _event_topic_asked(normalised_forms(text, writing)) == topic


@pytest.mark.parametrize("text, writing, ends", [
    ("alda ra aris da avatari ras nishnavs madloba winaswar", "ka-Latn", True),  # thanks in advance
    ("what is open data? thank you", "en", True),
    ("thank you", "en", False),  # a thanks alone is no thanks after something else
    ("madloba, rodis aris?", "ka-Latn", False),
    ("what does the community say", "en", False),  # "ty" only as a word of its own
])
def test_a_thanks_at_the_end_is_found_by_its_words(text, writing, ends):
    assert _ends_with_thanks(normalised_forms(text, writing)) is ends


@pytest.mark.parametrize("text, writing, one", [
    ("ფასი?", "ka", True), ("ee visa??", "en", True), ("and hotel?", "en", True),
    ("fasi ra aris", "ka-Latn", False), ("", "en", False),
])
def test_one_word_is_counted_without_hesitations_and_and(text, writing, one):
    assert _one_word(normalised_forms(text, writing)) is one


@pytest.mark.parametrize("text, writing, tells", [
    ("ქართული პასპორტი მაქვს", "ka", True),  # I have a Georgian passport
    ("studentebi vart", "ka-Latn", True),  # we are students
    ("i have a georgian passport", "en", True),
    ("im dzveli shenobashi", "ka-Latn", False),  # "im" is "that" in Georgian
    ("and the website", "en", False),
])
def test_a_situation_is_told_by_its_verbs(text, writing, tells):
    assert _tells_a_situation(normalised_forms(text, writing), writing) is tells


def test_what_the_answer_did_after_a_thanks_is_part_of_it():
    # "madloba, that helped a lot": the longest phrase that fits, not the first found
    assert _small_talk(normalised_forms("that helped a lot. who organises it", "en")) == 4


@pytest.mark.parametrize("text, reply", [
    ("👍", "thank"),
    ("🙏🏻🙏🏻", "thank"),  # with a skin tone
    ("👌!!", "thank"),
    ("❤️", "thank"),  # with the variation selector
    ("👎", "feedback"),
    ("🙄 ...", "feedback"),
    ("??", None),
    ("...", None),
    ("ok 👍", None),  # a word: the classifier reads it
    ("👍 25?", None),
])
def test_a_reply_of_emoji_only_thanks_or_complains(text, reply):
    assert _emoji_reply(text) == reply


@pytest.mark.parametrize("text, carries", [
    ("nino.beridze88@gmail.com am i registered??", True),
    ("shegidzliat chamwerot? giorgi maisuradze 599 12 34 56", True),
    ("+995 599 123 456 damirekot", True),
    ("is 26 may the last day", False),
    ("what happens on 25.05", False),
    ("my.gov.ge ra aris", False),
])
def test_an_e_mail_or_a_phone_number_is_the_citizen_s_data(text, carries):
    assert _carries_personal_data(text) is carries


@pytest.mark.parametrize("text, writing, question", [
    ("i work at the school in gori, we teach kids coding. can teachers come?", "en", "can teachers come?"),
    # we have a school in Telavi and the children learn programming, can we teachers come?
    ("skola gvaqvs telavshi da bavshvebi programirebas swavloben, chven mastsavleblebi shegvidzlia wamovidet?",
     "ka-Latn", "chven mastsavleblebi shegvidzlia wamovidet?"),
    ("when is it, and where?", "en", None),  # a question before it: two questions, not a story
    ("i work at the school in gori, we teach kids coding", "en", None),  # no question at the end
    ("ok. why?", "en", None),  # one word at the end is no question on its own
    # no situation told: "how to take part" is the hackathon's question
    ("i heard avatar has some hackathon challenge, how to take part", "en", None),
    ("i am a student, can i come? how does registration work", "en", None),  # two questions
    # in English a question may begin in one breath with its verb and subject
    ("we are five from the telavi youth council can we all come?", "en", "can we all come?"),
    # said in one breath, by voice: a word that turns to the question ("in short, I wonder ...")
    ("me sabavshvo bagshi vmushaob quTaisshi da bavshvebs kompiuterze vaswavlit xatvas karoche mainteresebs "
     "ghia monacemebi ra aris", "ka-Latn", "ghia monacemebi ra aris"),
    ("so i teach in a village school near gori and my students built a little website for the library anyway "
     "who can attend the conference", "en", "who can attend the conference"),
    # ... unless a question came before it
    ("when is it? i teach in a village school near gori and we built a website anyway who can attend",
     "en", None),
    # "..." ends what is told
    ("ვასწავლი ზუგდიდის სკოლაში, ბავშვებმა პროექტი გააკეთეს... მასწავლებლებს შეგვიძლია მოსვლა?", "ka",
     "მასწავლებლებს შეგვიძლია მოსვლა?"),
])
def test_the_question_after_what_a_citizen_tells_is_found(text, writing, question):
    assert _question_after_a_story(text, writing) == question


@pytest.mark.parametrize("text, writing, guess", [
    ("რაღაც ასოციაციაა ხო", "ka", True),  # some association, right?
    ("in may right", "en", True),
    ("its free isnt it", "en", True),
    ("sad aris xo", "ka-Latn", False),  # where is it, right?: a question word of its own
    ("is it in may right", "en", False),  # a question by its verb
    ("xo", "ka-Latn", False),
])
def test_a_guess_with_a_tag_asks_nothing_of_its_own(text, writing, guess):
    assert _only_a_guess(normalised_forms(text, writing)) == guess


@pytest.mark.parametrize("text, writing, call", [
    ("hello?? aris vinme??", "ka-Latn", 2),  # is anyone there?
    ("უპასუხეთ რა", "ka", 2),  # answer, come on
    ("anyone there", "en", 2),
    ("answer the question about the fee", "en", 0),
])
def test_a_call_for_attention_is_small_talk(text, writing, call):
    forms = normalised_forms(text, writing)
    assert _small_talk(forms[1:] if forms[0] == "hello" else forms) == call


@pytest.mark.parametrize("text, writing, form", [
    ("დამარეგისტრირებ?", "ka", "register"),  # will you register me?
    ("chamwereb konferenciaze?", "ka-Latn", "register"),
    ("gamiuqmeb registracias?", "ka-Latn", "cancel_registration"),
    ("დარეგისტრირება რა ღირს?", "ka", None),  # what does registering cost?
])
def test_a_verb_in_the_future_asks_for_its_form(text, writing, form):
    assert _imperative_request(normalised_forms(text, writing), writing) == form


@pytest.mark.parametrize("text, writing, only", [
    ("ალო?? ვინმე ხართ?", "ka", True),  # hello? is anyone there?
    ("upasuxet ra", "ka-Latn", True),  # answer, come on
    ("anyone there? when is it", "en", False),
    ("", "en", False),
])
def test_a_piece_of_calls_for_attention_only(text, writing, only):
    assert _only_calls_for_attention(normalised_forms(text, writing)) == only


@pytest.mark.parametrize("text, writing, form", [
    ("davai sign me up", "en", "register"),  # a word of urging before the verb
    ("ok so just cancel my registration", "en", "cancel_registration"),
    ("ok so what is it", "en", None),
])
def test_words_of_urging_before_an_english_imperative(text, writing, form):
    assert _imperative_request(normalised_forms(text, writing), writing) == form


@pytest.mark.parametrize("text, writing, day", [
    ("ოცდაექვსში", "ka", True),  # on the twenty-sixth, in words
    ("otsdaotkhshi", "ka-Latn", True),
    ("25.05", "ka-Latn", True),  # the day of a date in digits
    ("ოცდაათში", "ka", False),  # on the thirtieth
    ("12", "en", False),
])
def test_a_day_of_the_event_in_digits_or_in_words(text, writing, day):
    assert any(_EVENT_DATE.match(form) for form in normalised_forms(text, writing)) == day


@pytest.mark.parametrize("text, writing, asks", [
    ("faber box-is zusti misamarti momeci", "ka-Latn", True),  # give me ... the address
    ("give me their phone number", "en", True),
    ("saqartvelos pasporti maqvs", "ka-Latn", False),  # I have a Georgian passport
])
def test_a_request_to_be_given_something_to_know_asks(text, writing, asks):
    assert _asks_or_asks_to_be_given(text, writing) == asks


@pytest.mark.parametrize("text, is_a_sum", [
    ("2+2?", True),
    ("48/6=?", True),
    ("24-27?", False),  # the event's days
    ("24/5", False),  # a date
    ("12?", False),
])
def test_a_sum_typed_alone(text, is_a_sum):
    assert _sum(text) == is_a_sum
