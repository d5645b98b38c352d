"""Statements found sentence by sentence: kinds from words, sides from names, questions where code cannot decide.

The model is a localhost OpenAI-compatible server answering each multiple-choice
question from a script, so the real openai client and transport run.
"""

from __future__ import annotations

import json
from typing import Any

from summariser import summarise
from summariser.answers import answer, says_answered
from summariser.attribution import contrasted, joint_subject, offer_owner, offerer, speakers
from summariser.config import load_settings
from summariser.cues import statement_kind, statement_text, status_cue, when_phrase
from summariser.load import Article

from .conftest import choice_options, completion

ARTICLE = Article(
    title="Port talks resume",
    text="\n\n".join(
        [
            "Talks between the Coastal Dockworkers Union and the operator Harbourline resumed on Monday under "
            "mediator Miriam Okafor.",
            "The union is demanding a 14 percent pay rise over two years.",
            "Harbourline has offered 6 percent over two years.",
            "Okafor proposed that a joint committee review the automation timetable.",
            "The Calder Chamber of Commerce said the strike was costing businesses 3 million crowns a day.",
            "Both sides agreed to a news blackout while talks continue.",
            "Union members will vote on any offer within a week.",
            "Traders will watch the port's reopening on Friday.",
        ]
    ),
)
SIDES = {
    "is_negotiation": True,
    "summary": "The union and Harbourline resumed talks under a mediator.",
    "parties": [
        {"name": "Coastal Dockworkers Union", "aliases": ["the union"], "representatives": []},
        {"name": "Harbourline", "aliases": [], "representatives": []},
    ],
    "mediators": [{"name": "Miriam Okafor", "role": "mediator", "representatives": []}],
}


def test_kinds_from_words() -> None:
    assert statement_kind("The union is demanding a 14 percent pay rise.") == "demand"
    assert statement_kind("Harbourline has offered 6 percent over two years.") == "offer"
    assert statement_kind("Both sides agreed to a news blackout.") == "agreement"
    assert statement_kind("Union members would then vote on any offer within a week.") == "future"
    assert statement_kind("The strike began in May.") == "none"
    assert statement_kind("The two sides have not agreed on the timetable.") != "agreement"
    # Wanting first is a demand; the terms of a deal are the deal; a judged offer is a position.
    assert statement_kind("The rebels wanted a guarantee that operations would not resume next week.") == "demand"
    assert statement_kind("Under the deal, Teluric will raise wages by 9 percent next year.") == "agreement"
    assert statement_kind('"However, this offer does nothing to restore pay," she said.') == "demand"
    assert statement_kind("Northline has offered 5 percent, tied to rosters that would start next month.") == "offer"
    assert status_cue("The union rejected the offer on Monday.") == "rejected"
    assert (
        status_cue("The team had demands for Dolmar. Dolmari officials have objected to these demands.") == "rejected"
    )
    assert when_phrase("Talks resume on Friday.") == "on Friday"
    assert statement_text('Union president Tomás Reyes said members "will stay out as long as it takes".') == (
        'Members "will stay out as long as it takes"'
    )


def test_questions_only_where_code_cannot_decide(model_server: Any) -> None:
    asked: list[tuple[list[str], str]] = []

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(SIDES)), 0.0
        question = body["messages"][-1]["content"]
        asked.append((options, question))
        answer = "accepted" if "status" in question else options[0]
        return 200, {}, completion(json.dumps(answer), prompt_tokens=20, completion_tokens=2), 0.0

    model_server.respond = respond
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)
    brief = summarise(ARTICLE, settings=settings)

    positions = {(p.party, p.evidence[0].sentence) for p in brief.positions}
    proposals = {(p.by, p.status, p.evidence[0].sentence) for p in brief.proposals}
    # Sides named in the sentence are credited without a question.
    assert ("Coastal Dockworkers Union", 2) in positions
    # The model's "accepted" where the article tells no answer to the offer is not taken
    # ("Both sides agreed to a news blackout" answers no offer).
    assert ("Harbourline", "proposed", 3) in proposals
    assert ("Miriam Okafor", "proposed", 4) in proposals
    assert ("Coastal Dockworkers Union and Harbourline", "agreed", 6) in proposals
    # The chamber speaks for itself: not credited to the side named just before.
    assert all(p.evidence[0].sentence != 5 for p in brief.positions)
    steps = {(s.evidence[0].sentence, s.when) for s in brief.next_steps}
    assert (7, "within a week") in steps
    assert all(sentence != 8 for sentence, _ in steps)  # traders are not in the talks
    # Only statuses needed the model: each a question over the whole article, answered with one word.
    assert [options for options, _ in asked] == [["proposed", "accepted", "rejected", "agreed", "unclear"]] * 2
    assert brief.meta.questions == 2 and brief.meta.attempts == 1
    assert brief.meta.usage.prompt_tokens == 100 + 2 * 20
    assert any(d.section == "next_steps" and "outside the talks" in d.reason for d in brief.meta.dropped)


def test_first_named_side_speaks(model_server: Any) -> None:
    article = Article(
        text="Harbourline and the Coastal Dockworkers Union met on Monday.\n\n"
        "Harbourline told the union it must accept automation before any pay rise.\n\n"
        "The port has been closed for a week. Ships are waiting offshore.\n\n"
        "Negotiators insist that automation must wait until 2030."
    )
    asked: list[list[str]] = []

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(SIDES)), 0.0
        asked.append(options)
        return 200, {}, completion(json.dumps("Coastal Dockworkers Union")), 0.0

    brief = _brief(model_server, article, respond)
    assert [(p.party, p.evidence[0].sentence) for p in brief.positions] == [("Harbourline", 2)]
    # A position must name its party nearby: sentence 5 names no side, so it is set aside unasked.
    assert asked == []
    assert any(d.item.get("sentence") == 5 and "no party named" in d.reason for d in brief.meta.dropped)


def test_openai_style_servers_get_an_object_answer(model_server: Any) -> None:
    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(SIDES)), 0.0
        schema = body["response_format"]["json_schema"]["schema"]
        assert body["response_format"]["type"] == "json_schema" and schema["required"] == ["answer"]
        return 200, {}, completion(json.dumps({"answer": options[-1]})), 0.0

    model_server.respond = respond
    settings = load_settings(
        trust_env=False, model="vllm/test", base_url=model_server.base_url, items="questions", kinds="rules"
    )
    brief = summarise(ARTICLE, settings=settings)
    assert {p.status for p in brief.proposals if p.evidence[0].sentence in (3, 4)} == {"unclear"}


def test_an_answer_in_the_next_sentences_gives_the_status() -> None:
    from summariser.attribution import ArticleSides
    from summariser.segment import segment_text

    text = (
        "Kestria offered a dry-season flow of 850 cubic metres a second. "
        "Dolmar turned the offer down the following morning. "
        "The bank proposed a panel of hydrologists. "
        "Both sides agreed to a news blackout. "
        "Dolmar proposed a joint fund. "
        "Kestria welcomed the idea; the bank said it would respond next week."
    )
    segments = segment_text(text)
    known = ArticleSides.of(_sides(("Kestria", "Dolmar"), ("the bank",)), segments)
    kinds = {s.number: statement_kind(s.text) for s in segments}
    assert answer(known, 1, "Kestria", kinds) == "rejected"
    assert answer(known, 3, "the bank", kinds) is None  # the blackout is a deal of its own
    assert answer(known, 5, "Dolmar", kinds) is None  # one side welcomed it, another has still to answer


def test_an_answer_the_lead_tells_first_gives_the_status() -> None:
    known, segments = _known(
        "The Skyrail board on Monday recommended a takeover offer from Aerovia and rejected a bid from Boreal. "
        "Aerovia offered 14.50 euros a share in cash. "
        "Boreal had offered 15.20 euros a share. "
        "Boreal later made a new offer of 16 euros.",
        ("Skyrail", "Aerovia", "Boreal"),
    )
    kinds = {s.number: statement_kind(s.text) for s in segments}
    assert kinds[1] == "none"  # the board's answers, not an offer of its own
    assert answer(known, 2, "Aerovia", kinds) == "accepted"
    assert answer(known, 3, "Boreal", kinds) == "rejected"
    assert answer(known, 4, "Boreal", kinds) is None  # a new offer: no earlier answer is to it
    # Where the article speaks of an answer at all, the model's "accepted" or "rejected" may stand.
    assert says_answered(known, 4, "Boreal")  # the lead rejected a bid from Boreal
    quiet, _ = _known(
        "Kestria and Dolmar met in Lirova. The talks ran late. A first draft offered three options. "
        "Delegates went home. The weather was mild. The new draft weakened the language on forests.",
        ("Kestria", "Dolmar"),
    )
    assert not says_answered(quiet, 6, "Kestria")


def test_a_quoted_person_is_credited_to_the_side_the_model_names(model_server: Any) -> None:
    sides = {
        "is_negotiation": True,
        "summary": "Kestan and Dovaria resumed border talks.",
        "parties": [{"name": n, "aliases": [], "representatives": []} for n in ("Kestan", "Dovaria")],
        "mediators": [],
    }
    article = Article(
        text="Kestan and Dovaria resumed border talks on Monday.\n\n"
        "President Arman Tesh said the army would never withdraw from the ridge.\n\n"
        "Tesh insisted that any ceasefire must begin with a prisoner exchange."
    )
    questions: list[str] = []

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(sides)), 0.0
        questions.append(body["messages"][-1]["content"])
        answer = "Kestan" if "Arman Tesh" in questions[-1] else options[0]
        return 200, {}, completion(json.dumps(answer)), 0.0

    brief = _brief(model_server, article, respond)
    assert sum("whom does Arman Tesh speak" in q for q in questions) == 1
    assert "Arman Tesh" in brief.parties[0].representatives
    assert {(p.party, p.evidence[0].sentence) for p in brief.positions} == {("Kestan", 2), ("Kestan", 3)}


def test_a_title_that_names_a_side_answers_for_the_model(model_server: Any) -> None:
    # Kestan already has four people (the most step 1 may give): its president is a fifth.
    people = ["Lena Orlo", "Timur Vask", "Ada Renn", "Oskar Hale"]
    sides = {
        "is_negotiation": True,
        "summary": "Kestan and Dovaria resumed border talks.",
        "parties": [
            {"name": "Kestan", "aliases": [], "representatives": people},
            {"name": "Dovaria", "aliases": [], "representatives": []},
        ],
        "mediators": [],
    }
    article = Article(
        text="Kestan and Dovaria resumed border talks on Monday, led by Lena Orlo, Timur Vask, Ada Renn and Oskar Hale.\n\n"
        "Kestani President Arman Tesh said the army would never withdraw from the ridge.\n\n"
        "Tesh insisted that any ceasefire must begin with a prisoner exchange.\n\n"
        "Kestan's army held the ridge all week, with Dovaria pressing for a full withdrawal first."
    )
    questions: list[str] = []

    def respond(body: dict[str, Any], n: int) -> Any:
        if choice_options(body) is None:
            return 200, {}, completion(json.dumps(sides)), 0.0
        questions.append(body["messages"][-1]["content"])
        return 200, {}, completion(json.dumps(choice_options(body)[0])), 0.0

    brief = _brief(model_server, article, respond)
    assert not any("Arman Tesh" in q for q in questions)  # "Kestani President": no question
    assert brief.parties[0].representatives == [*people, "Arman Tesh"]
    # The side pressing just before the verb, not the side the sentence names first.
    assert {(p.party, p.evidence[0].sentence) for p in brief.positions} == {
        ("Kestan", 2),
        ("Kestan", 3),
        ("Dovaria", 4),
    }


def _brief(model_server: Any, article: Article, respond: Any) -> Any:
    """The brief of ``article`` from the localhost server answering with ``respond``."""
    model_server.respond = respond
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)
    return summarise(article, settings=settings)


def _sides(parties: tuple[str, ...], mediators: tuple[str, ...] = ()) -> Any:
    """Step 1's answer: these parties and mediators, with no aliases or people."""
    from summariser.schemas import Sides

    return Sides.model_validate(
        {
            "is_negotiation": True,
            "summary": "",
            "parties": [{"name": n, "aliases": [], "representatives": []} for n in parties],
            "mediators": [{"name": n, "role": "", "representatives": []} for n in mediators],
        }
    )


def _known(text: str, parties: tuple[str, ...], mediators: tuple[str, ...] = ()) -> Any:
    from summariser.attribution import ArticleSides
    from summariser.segment import segment_text

    segments = segment_text(text)
    return ArticleSides.of(_sides(parties, mediators), segments), segments


def _statements_without_model(text: str, parties: dict[str, list[str]], mediators: tuple[str, ...] = ()) -> Any:
    """Step 2 over ``text`` for ``parties`` (name -> aliases) and ``mediators`` with no question budget:
    the rules alone."""
    from summariser.ask import Questions
    from summariser.call import CallRecord
    from summariser.segment import segment_text
    from summariser.statements import find_statements

    sides = _sides(tuple(parties), mediators)
    for party, aliases in zip(sides.parties, parties.values(), strict=True):
        party.aliases.extend(aliases)
    questions = Questions([], None, None, CallRecord(), budget=0)  # type: ignore[arg-type]
    return find_statements(questions, segment_text(text), sides).items


def test_the_speaker_is_the_subject_not_a_side_named_later() -> None:
    known, _ = _known(
        "Harbourline wants the automation plan approved this year. "
        "Analyst Priya Shah of Calder Research said the fight for control of Harbourline would take months. "
        "The Calder Chamber of Commerce called for the strike to end. "
        "A senior port official told reporters on Friday that the Coastal Dockworkers Union was demanding a pay rise. "
        "It also wants a guarantee on jobs. "
        "The Harbourline board rejected the idea.",
        ("Coastal Dockworkers Union", "Harbourline"),
    )
    parties = known.parties
    assert speakers(known, 1, parties) == ["Harbourline"]
    assert speakers(known, 2, parties) is None  # an analyst speaking about Harbourline
    assert speakers(known, 3, parties) is None  # a chamber that is no side, though no side is named
    assert speakers(known, 4, parties) == ["Coastal Dockworkers Union"]  # what the official said the union wants
    assert speakers(known, 5, parties) == ["Coastal Dockworkers Union"]  # "It": the speaker named before
    assert speakers(known, 6, parties) == ["Harbourline"]


def test_an_analyst_named_again_by_surname_is_still_no_side() -> None:
    known, _ = _known(
        "Kestria wants a cap on water use. "
        '"Neither side can afford to walk away," said Lena Marsh, director at the Calder Institute, a think tank. '
        "Marsh also pointed out that Dolmar's demands remain unclear as it presses for more water. "
        "Envoy Piet Varga of Dolmar said the cap was too low. "
        "Varga noted that Dolmar wants a review in two years.",
        ("Kestria", "Dolmar"),
    )
    parties = known.parties
    assert speakers(known, 3, parties) is None  # the analyst, by surname, on Dolmar: not Dolmar's word
    assert speakers(known, 5, parties) == ["Dolmar"]  # Dolmar's envoy by surname: named beside Dolmar


def test_an_offer_from_a_side_named_with_a_description() -> None:
    known, _ = _known(
        "Harlow Foods rejected a sweetened takeover proposal from U.S. rival Brightwater Brands on Tuesday.",
        ("Harlow Foods", "Brightwater Brands"),
    )
    assert offer_owner(known, 1, known.parties) == "Brightwater Brands"


def test_an_expert_or_a_group_of_a_sides_people_is_no_side() -> None:
    known, _ = _known(
        '"You cannot share water you have not measured," said a Dolmari hydrologist who asked not to be named. '
        "Skyrail's pilots' union said it opposed any deal that would move flying to Aerovia. "
        "Skyrail's chairman said the Aerovia offer was better.",
        ("Dolmar", "Skyrail", "Aerovia"),
    )
    parties = known.parties
    assert speakers(known, 1, parties) is None
    assert speakers(known, 2, parties) is None
    assert speakers(known, 3, parties) == ["Skyrail"]
    from summariser.cues import someone_else

    assert not someone_else("the doctors' union")  # a side by its own common name, not a group of one


def test_an_agreement_of_all_the_blocs_is_all_of_theirs() -> None:
    from summariser.ask import Questions
    from summariser.statements import find_statements

    parties = ("Alliance of Reef States", "Norvania", "Qarsen")
    text = (
        "Norvania said it was ready to study the idea; Qarsen did not comment. "
        "The three blocs did agree on a technical point: a common method for measuring losses from storms."
    )
    known, segments = _known(text, parties)
    found = find_statements(Questions([], None, None, None, budget=0), segments, _sides(parties))
    agreed = [p for p in found.items.proposals if p.status == "agreed"]
    assert [(p.by, p.sentence) for p in agreed] == [(" and ".join(parties), 2)]


def test_parties_named_together_as_the_subject_state_one_joint_position() -> None:
    known, _ = _known(
        "The National Union of Teachers and the smaller Schoolmasters' Association are demanding 11 percent. "
        "Talks between the National Union of Teachers and the Education Ministry want a mediator. "
        "The Education Ministry said the National Union of Teachers and the Schoolmasters' Association must wait.",
        ("National Union of Teachers", "Schoolmasters' Association", "Education Ministry"),
    )
    assert joint_subject(known, 1) == ["National Union of Teachers", "Schoolmasters' Association"]
    assert joint_subject(known, 2) == []  # "talks between": no subject of parties
    assert joint_subject(known, 3) == []  # the ministry speaks of the two


def test_the_writers_own_background_is_no_sides_word() -> None:
    known, _ = _known(
        "Coastal Dockworkers Union leader Ana Ruiz said members would strike again. "
        "At the heart of the row is a disagreement over how fast the cranes must be automated. "
        "The union wants the pay rise without strings. "
        '"We will stay out as long as it takes."',
        ("Coastal Dockworkers Union", "Harbourline"),
    )
    parties = known.parties
    assert speakers(known, 2, parties) == []  # the writer's, though a side spoke just before
    assert speakers(known, 3, parties) == ["Coastal Dockworkers Union"]  # "The union": named before
    assert speakers(known, 4, parties) == ["Coastal Dockworkers Union"]  # "We": still quoting
    from summariser.cues import continues_speech

    assert not continues_speech("The US embassy in the port city reopened.")  # a country, not "us"


def test_a_speaker_quoting_on_is_found_past_the_sides_the_quotations_name() -> None:
    known, segments = _known(
        "The Health Ministry said the BMA had not agreed to the offer. "
        '"It is one of the most shameful episodes in the history of the BMA." '
        'He added: "Patients will suffer." '
        'On the offer, he said: "This comprehensive offer will deliver."',
        ("BMA", "Health Ministry"),
    )
    assert statement_kind(segments[3].text) == "demand"  # what a side says its offer will do: a stance
    assert speakers(known, 4, known.parties) == ["Health Ministry"]  # not the BMA the quotation names
    assert speakers(known, 2, known.parties) == ["Health Ministry"]  # nor in the bare quotation itself
    outsider, _ = _known(
        "Shadow minister Stuart Andrew said the strike was unacceptable. "
        '"If they reject this, I am not sure the government is ready for this winter."',
        ("BMA", "Government"),
    )
    assert speakers(outsider, 2, outsider.parties) is None  # the opposition's words about the government
    from summariser.schemas import ExtractedPosition, Items

    from summariser.validate import ground_extraction, merge_steps

    sides = _sides(("BMA", "Health Ministry"))
    position = ExtractedPosition(party="Health Ministry", stance="This comprehensive offer will deliver", sentence=4)
    grounded = ground_extraction(merge_steps(sides, Items(positions=[position], proposals=[], next_steps=[])), segments)
    assert [p.party for p in grounded.positions] == ["Health Ministry"]  # named three sentences before: kept


def test_two_parties_set_against_each_other_in_one_sentence_are_two_positions() -> None:
    known, _ = _known(
        "Kestria wants to reclaim the valley, while Dolmar does not want to withdraw from the ridge. "
        "Kestria says it is ready to guarantee a flow, but not at the level Dolmar demands.",
        ("Kestria", "Dolmar"),
    )
    assert [party for party, _ in contrasted(known, 1)] == ["Kestria", "Dolmar"]
    assert contrasted(known, 2) == []  # the second clause's subject is no party: one position, Kestria's


def test_an_outsiders_quoted_forecast_is_no_step() -> None:
    from summariser.statements import _quoted_outsider

    known, segments = _known(
        '"The sides will likely sign next week," said Priya Shah of Calder Research. '
        '"We will vote on Friday," said Ana Ruiz of Harbourline. '
        "Priya Shah said the union would vote on Friday.",
        ("Coastal Dockworkers Union", "Harbourline"),
    )
    assert _quoted_outsider(segments[0], known)
    assert not _quoted_outsider(segments[1], known)  # a side's own word
    assert not _quoted_outsider(segments[2], known)  # reported, not quoted: a source may tell a step


def test_the_speaker_after_a_quotation_is_the_one_who_says_it() -> None:
    known, _ = _known(
        "Harbourline chief executive Ana Ruiz said the offer was final. "
        '"The Coastal Dockworkers Union has chosen to hurt the port," she said. '
        '"The offer from Harbourline is unbalanced," wrote Priya Shah of Calder Research. '
        '"Harbourline cannot keep its cranes idle," the union said in a statement.',
        ("Coastal Dockworkers Union", "Harbourline"),
    )
    parties = known.parties
    assert speakers(known, 2, parties) == ["Harbourline"]  # "she said": the chief executive, named before
    assert speakers(known, 3, parties) is None  # an analyst, whoever her quotation names
    assert speakers(known, 4, parties) == ["Coastal Dockworkers Union"]


def test_the_offer_a_sentence_refers_back_to_keeps_its_author() -> None:
    from summariser.schemas import ExtractedProposal

    from summariser.statements import _earlier_offer

    _, segments = _known(
        "Ministers offered the union a new deal on Monday. "
        "Union leaders said members would be consulted. "
        "The offer includes more training posts and covers exam fees.",
        ("Government", "Nurses Union"),
    )
    made = [ExtractedProposal(by="Government", proposal="a new deal", status="proposed", sentence=1)]
    assert _earlier_offer(segments[2], made) == "Government"
    assert _earlier_offer(segments[1], made) is None  # not a sentence about "the offer"
    assert _earlier_offer(segments[2], []) is None


def test_an_answer_names_the_offer_by_its_figure_or_refuses_it() -> None:
    known, segments = _known(
        "The ministry put forward 4.5 percent this year and 3 percent next year. "
        "Teachers in three regions held rallies. "
        "Schools in the north stayed closed. "
        "Parents' groups asked both sides to return to talks. "
        "The teachers' federation rejected the 4.5 percent offer on Monday. "
        "The ministry offered to extend the ballot deadline. "
        "Ministers said they were astonished the federation had not agreed to this.",
        ("Education Ministry", "teachers' federation"),
    )
    kinds = {s.number: statement_kind(s.text) for s in segments}
    assert answer(known, 1, "Education Ministry", kinds) == "rejected"  # four sentences on, by its figure
    assert answer(known, 6, "Education Ministry", kinds) == "rejected"  # "had not agreed to this"


def test_terms_of_a_deal_and_who_offered() -> None:
    assert statement_kind("The deal also includes a review of night shifts.") == "terms"
    assert statement_kind("The plan is believed to include a phased release of prisoners.") == "terms"
    assert statement_kind("The deal was signed on Monday.") == "agreement"
    assert statement_kind("The plan to merge the depots was criticised.") != "terms"
    # "Next week's strike" names a strike, not a step: the news is the offer.
    assert statement_kind("Next week's strike may be averted after ministers offered the union a new deal.") == "offer"
    known, _ = _known(
        "Next week's strike by nurses may be averted after ministers offered the Nurses Union a new deal. "
        "Nurses Union leaders said Harbour Health had proposed a review.",
        ("Nurses Union", "Government", "Harbour Health"),
    )
    known.names["Government"].append("ministers")
    assert offerer(known, 1, known.parties) == "Government"  # not the union, named first
    assert offerer(known, 2, known.parties) == "Harbour Health"


def test_terms_take_the_author_and_status_of_the_offer_before(model_server: Any) -> None:
    article = Article(
        text="\n\n".join(
            [
                "Harbourline offered the Coastal Dockworkers Union a 6 percent rise on Monday.",
                "The union rejected the offer the same evening.",
                "The offer also included a review of automation at the port.",
                "The deal also includes a bonus for night shifts.",
            ]
        )
    )

    def respond(body: dict[str, Any], n: int) -> Any:
        if choice_options(body) is None:
            return 200, {}, completion(json.dumps({**SIDES, "mediators": []})), 0.0
        raise AssertionError("no question needed: the words and the offer before decide")

    brief = _brief(model_server, article, respond)
    # The union's answer is the offer's status, not an offer of its own.
    assert [(p.by, p.status, p.evidence[0].sentence) for p in brief.proposals] == [
        ("Harbourline", "rejected", 1),
        ("Harbourline", "rejected", 3),
        ("Harbourline", "rejected", 4),
    ]


def test_terms_told_after_an_offer_keep_its_author_and_status(model_server: Any) -> None:
    article = Article(
        text="\n\n".join(
            [
                "A port strike due to start on Thursday may be called off after Harbourline made the Coastal "
                "Dockworkers Union a new offer late on Monday.",
                "The offer includes a guaranteed 11-hour rest between shifts.",
                "The number of crane operators will also rise by 40 by the end of 2027, Harbourline said.",
                "Union members will vote on the offer on Friday.",
                "Mediator Miriam Okafor said she had also offered to extend the union's strike mandate by two "
                "months, but the union had not agreed to this.",
                "The union said it would call off the strike if the company would pay the 14 percent it demands.",
            ]
        )
    )
    asked: list[str] = []

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(SIDES)), 0.0
        asked.append(body["messages"][-1]["content"])
        return 200, {}, completion(json.dumps("proposed"), prompt_tokens=20, completion_tokens=2), 0.0

    brief = _brief(model_server, article, respond)
    # The offer that may avert the strike is the news; what it holds, told in the present or the
    # future, is its own; the mediator's offer the union "had not agreed to" is rejected.
    assert [(p.by, p.status, p.evidence[0].sentence) for p in brief.proposals] == [
        ("Harbourline", "proposed", 1),
        ("Harbourline", "proposed", 2),
        ("Harbourline", "proposed", 3),
        ("Miriam Okafor", "rejected", 5),
    ]
    assert [s.evidence[0].sentence for s in brief.next_steps] == [4]  # the vote; a condition is no step
    assert len(asked) == 1  # the first offer's status only


def test_an_unnamed_source_on_the_group_and_the_plan_its_terms_belong_to() -> None:
    from summariser.ask import Questions
    from summariser.statements import find_statements

    known, segments = _known(
        "Sabrin presented a plan for a 45-day truce on Monday. "
        "The Tarsa Front said on Friday it was ready to begin talks at once. "
        "However, an official familiar with the talks said the group had sought amendments including a guarantee "
        "that fighting would not resume. "
        "The plan is believed to include the release of 12 soldiers in two stages. "
        "Mr Kalan said the group was prepared to hand over three bodies if the Red Crescent could reach them.",
        ("Velmar", "Tarsa Front"),
        ("Sabrin",),
    )
    assert speakers(known, 3, known.parties) == ["Tarsa Front"]  # "the group": the party named just before
    assert speakers(known, 2, known.parties) == ["Tarsa Front"]
    found = find_statements(
        Questions([], None, None, None, budget=0), segments, _sides(("Velmar", "Tarsa Front"), ("Sabrin",))
    )
    # No question can be asked (budget 0): statuses stay unclear, authors come from the words.
    assert [(p.by, p.sentence) for p in found.items.proposals] == [
        ("Sabrin", 1),
        ("Tarsa Front", 3),
        ("Sabrin", 4),  # the plan's terms, not the amendments sought since
        ("Tarsa Front", 5),  # giving something on a condition is an offer
    ]


def test_a_minister_speaks_for_the_one_government_at_the_table() -> None:
    from summariser.segment import segment_text
    from summariser.statements import _minister_of, _states

    segments = segment_text(
        "The government of Verano and the Frente Campesino rebel group exchanged proposals. "
        "Interior Minister Carlos Benet said the army would not halt operations. "
        "Frente spokesman Ramiro Quispe said the group would free two men."
    )
    sides = _sides(("Verano", "Frente Campesino"))
    states = _states(sides, segments)
    assert states == ["Verano"]
    assert _minister_of("Carlos Benet", segments[1].text, states) == "Verano"
    assert _minister_of("Ramiro Quispe", segments[2].text, states) is None  # no minister: the model is asked
    # Two governments: the title must say whose minister it is.
    two = ["Kestria", "Dolmar"]
    assert _minister_of("Ana Wojda", "Kestrian Foreign Minister Ana Wojda said no.", two) == "Kestria"
    assert _minister_of("Ana Wojda", "Foreign Minister Ana Wojda said no.", two) is None


def test_an_offer_named_in_passing_is_no_ones_proposal(model_server: Any) -> None:
    article = Article(
        text="\n\n".join(
            [
                "Harbourline negotiators met the Coastal Dockworkers Union on Monday to discuss the latest proposal.",
                "There are considerable differences between the two pay plans.",
                "Harbourline has offered 6 percent over two years.",
            ]
        )
    )

    def respond(body: dict[str, Any], n: int) -> Any:
        if choice_options(body) is None:
            return 200, {}, completion(json.dumps({**SIDES, "mediators": []})), 0.0
        return 200, {}, completion(json.dumps("proposed")), 0.0

    brief = _brief(model_server, article, respond)
    assert [(p.by, p.evidence[0].sentence) for p in brief.proposals] == [("Harbourline", 3)]
    passing = [d for d in brief.meta.dropped if d.reason == "names an offer but not who put it forward"]
    assert sorted(d.item["sentence"] for d in passing) == [1, 2]


def test_words_that_only_look_like_stances_or_steps() -> None:
    # "Warner" is no warning, and weather conditions are no conditions.
    assert statement_kind("A new owner of Warner Bros would gain an edge in streaming.") == "none"
    assert statement_kind("He finished 18 holes at the resort amid showery conditions.") == "none"
    assert statement_kind("The union set conditions for any return to work.") == "demand"
    # A guess about a date is no step; a decision to meet and a strike that goes ahead are.
    assert statement_kind('He said "there could be a Gaza deal next week".') == "none"
    assert statement_kind("Israel has decided to send a delegation to Doha on Sunday for talks.") == "future"
    assert statement_kind("Otherwise the strikes will go ahead as planned next week.") == "future"
    assert statement_kind('Further technical details are to be negotiated "over the next weeks".') == "future"
    assert statement_kind("A separate deal on chips may be announced soon.") == "future"
    # Agreeing to go on meeting is a step; agreeing to extend an arrangement is an agreement.
    assert statement_kind("Both sides agreed to continue discussing preparations for a summit.") == "future"
    assert (
        statement_kind("The two delegations agreed to extend the current arrangement by three months.") == "agreement"
    )
    # An answer to the offer, with a date in passing, is the offer's status, no step.
    assert statement_kind("He was astounded the union had not agreed to this, with strikes due next week.") == "none"
    from summariser.cues import FUTURE  # what grounding requires of a step's sentence

    for step in ("A separate deal on chips may be announced soon.", "Israel has decided to send a delegation."):
        assert FUTURE.search(step)
    # Refusing or setting a condition is a stance, and a forecast is no step.
    assert statement_kind('Veras said Marenia "will not negotiate under the threat of artillery."') == "demand"
    assert statement_kind("Dovaria would discuss the villages only as part of a full settlement.") == "demand"
    assert statement_kind("The truce will fail unless both sides stop negotiating through the press.") == "none"
    assert statement_kind("Mediators are likely to have their work cut out at the talks in Doha.") == "none"
    assert statement_kind("The talks are likely to be held in Doha next week.") == "future"
    assert statement_kind("The agreement negotiated by the Commission will bring stability to firms.") == "none"
    # Thanks and bewilderment are no demands.
    assert statement_kind('"I want to thank the president for his leadership," she said.') == "none"
    assert statement_kind('"I cannot understand why the union chose to strike," he said.') == "none"
    assert statement_kind('"We want a pay rise," she said.') == "demand"
    # Where a side stands on an offer is a position, not another offer.
    assert statement_kind("The minister said the government would not improve the offer further.") == "demand"
    assert statement_kind('"It is not everything we asked for, but it is a serious offer," she said.') == "demand"
    assert statement_kind("He said the company could not afford a rise above 5 percent.") == "demand"
    assert statement_kind("The minister said the government could accept a truce of 30 days but not 45.") == "demand"
    assert statement_kind("Ministers offered the union a 4 percent rise on Monday.") == "offer"
    assert statement_kind("A ceasefire would only be accepted if Kestrian forces withdrew.") == "demand"
    assert statement_kind("He said he would retract the offer if the union rejected it.") == "demand"
    # Demands put on the table as terms are proposals; dropping one is not.
    assert statement_kind("The team had tough demands for Dolmar, including that it open the dam.") == "offer"
    assert statement_kind("The Kestrian side conveyed to the delegation a demand for a ceasefire.") == "offer"
    assert (
        statement_kind("The group had sought amendments including a guarantee that fighting would not resume.")
        == "offer"
    )
    assert statement_kind("She said the union had dropped its demand for a 10 percent rise.") != "offer"
    # Proposing that something be settled is a proposal, not a settlement.
    assert statement_kind("The conciliator suggested that the issues be split, with pay settled now.") == "offer"
    assert statement_kind("Members of his cabinet have expressed their opposition to the proposed deal.") == "demand"
    # Two sides' offers compared are no one's offer ("offers" is a noun there, not a verb).
    from summariser.cues import offering_at

    assert offering_at("There are differences between the Netflix and Paramount offers.") is None
    assert offering_at("Paramount offers 30 dollars a share.") == 10
    known, _ = _known("There are differences between the Netflix and Paramount offers.", ("Netflix", "Paramount"))
    assert offer_owner(known, 1, known.parties) is None
    # People who are no side, named first in a long opening.
    from summariser.cues import speaker_of

    assert speaker_of(
        "Hostages' relatives and thousands of their supporters attended a rally in the city on Saturday to call for a deal."
    ) == ("Hostages' relatives", "someone", "")
    assert speaker_of("Hundreds of families marched in the Velmari capital on Saturday to demand a deal.") == (
        "Hundreds of families",
        "someone",
        "",
    )


def test_stances_and_steps_as_wire_copy_tells_them() -> None:
    from summariser.cues import commentator, more_terms, talks_event

    # A side's quoted denial is its stance; a guess at what a deal is called is not.
    assert statement_kind('"A truce that lets the rebels rearm is not a truce," Mr Mbeki said.') == "demand"
    assert statement_kind('"There is no peace while our villages are occupied," the general said.') == "demand"
    assert statement_kind('"It is not clear when the talks will end," she said.') != "demand"
    assert statement_kind('Ms Sarandos called the company\'s merger agreement "superior".') == "demand"
    # A timetable in the present tense, and details still to be worked out, are steps.
    assert statement_kind("The survey closes on Wednesday at noon.") == "future"
    assert statement_kind("Island states trade blame as climate finance round ends without deal") != "future"
    assert statement_kind("He said technical details would be negotiated over the coming weeks.") == "future"
    assert when_phrase("technical details would be negotiated over the coming weeks.") == "over the coming weeks"
    assert statement_kind("The union will ask its 3,400 members in an online survey whether the offer is enough.") == (
        "future"
    )
    # More of a deal's terms, not a step, a condition or a judgement of it.
    assert more_terms("The number of posts will also rise by 4,000 by 2028.", future=True)
    assert more_terms("He said the bloc would open its markets with zero per cent tariffs.", future=False)
    assert not more_terms("Members will also vote on the offer on Friday.", future=True)
    assert not more_terms("If members back it, a formal vote would follow within three weeks.", future=True)
    assert not more_terms('"Patients will also suffer by 2026," he said.', future=False)
    assert not more_terms("The ministry said pay would rise by 3 percent.", future=True)  # a step needs "also"
    # A crowd or commentators foresee; they are not at the table.
    assert statement_kind("The truce, first agreed in June, had been due to expire on Sept 30.") != "future"
    assert statement_kind('"We made progress, but we are not there yet," she told reporters.') == "none"
    assert talks_event("Technical teams will hold video calls in the meantime.")
    assert talks_event("Workers at the three plants will return to their jobs on Wednesday.")
    assert statement_kind("Kordavia handed Selmar a memorandum setting out its terms for a settlement.") == "offer"
    assert statement_kind("Officials said they would study the memorandum and respond within a week.") == "future"
    assert statement_kind("No date has been set for the next round, Orlan said.") == "none"
    from summariser.cues import offer_clause

    rejected_first = "Orlan said Kordavia had rejected an unconditional ceasefire but offered a three-day truce."
    assert status_cue(offer_clause(rejected_first)) is None  # the rejection answers the other side's offer
    from summariser.cues import offering_at

    assert offering_at("Talks stalled after Halvard raised its offer to 21% and said it could go no further.")
    assert commentator("Residents of Mirel, which has been shelled, said they hoped the agreement would hold.")
    assert commentator("Analysts said both sides would return to the table next week.")
    assert not commentator("Union leaders said members would vote on Friday.")


def test_older_wire_copy_states_offers_answers_and_terms() -> None:
    from summariser.cues import commentator, more_terms, response_cue, someone_else, speaker_of

    # Ready to give something on a condition, or with a figure, is an offer; a yardstick is not.
    assert statement_kind(
        "He said Vostragaz was ready to keep pumping gas, as long as Beltrans did not siphon any."
    ) == ("offer")
    assert statement_kind("Kessaria said it was prepared to cut its farm support to $22 billion a year.") == "offer"
    assert statement_kind("Kessaria said it was ready to resume talks.") != "offer"
    assert statement_kind("The bloc wants subsidies ended by 2013, five years earlier than Aurelia has proposed.") == (
        "demand"
    )
    # An answer with its reason is a stance; an earlier memorandum named in passing is no agreement now.
    answer = (
        "Beltrans rejected the price, saying it could pay no more than $201, set in a memorandum signed by both in May."
    )
    assert statement_kind(answer) == "demand"
    assert response_cue(answer) == "rejected"
    assert statement_kind("The two sides signed a memorandum on Friday.") == "agreement"
    # What a deal holds, as a side tells it; a side's own word for the deal; holding out for something.
    assert statement_kind("The guild said the agreement includes an 8 percent increase in minimum pay.") == "terms"
    assert statement_kind('"This contract is a down payment on the future."') == "demand"
    assert statement_kind("Whitfield said the union had held out for a share of streaming revenue.") == "demand"
    # Agreeing now, whatever is still to be signed later; a deal's terms past an aside.
    assert statement_kind("The two sides agreed to exchange data, even before a treaty is signed.") == "agreement"
    assert statement_kind("The sides did agree to mutual recognition of safety certificates.") == "agreement"
    assert statement_kind("The deal, reached in the town of Mirel, also commits both sides to pull back.") == "terms"
    assert statement_kind("Mr Riedel said Estoria was ready to pay 12 million euros a year into a fund.") == "offer"
    # Asked for something by a date: a step; a reporter's question is none.
    assert statement_kind("The ministry has asked the unions for a written counter-proposal by Thursday.") == "future"
    assert statement_kind("Reporters asked whether a deal would be signed by Friday.") != "future"
    # A phase of the deal, or its text told after what it holds, is terms; a deadline set is a step.
    assert statement_kind("Under the first phase, the group would free 18 hostages in exchange for 600 prisoners.") == (
        "terms"
    )
    assert statement_kind("Forces would pull back from the valley during the first phase, the draft says.") == "terms"
    assert statement_kind("Leaders have set themselves a deadline of the end of the month.") == "future"
    assert not more_terms("Without a deal, tariffs of up to 40 percent would apply to Albion goods.", future=False)
    assert someone_else("Aharon's far-right coalition partners")
    # An offer only imagined is none; a past schedule is no step; a statutory deadline is one.
    assert statement_kind("The board said it would be willing to engage if Brightwater came back with a proposal.") == (
        "demand"
    )
    assert statement_kind("The talks ran past their scheduled close on Friday.") != "future"
    assert statement_kind("Under takeover rules, Brightwater has until Oct. 1 to make a firm offer or walk away.") == (
        "future"
    )
    assert statement_kind('Brightwater said in a statement that its revised proposal was "full and fair".') == "demand"
    # Who speaks after a quotation, with whose they are: "head of Pakistan's delegation".
    said = '"We need adaptation financing," Aisha Moriana, head of Pakistan\'s delegation, told BBC News.'
    assert speaker_of(said) == ("Aisha Moriana", "someone", ", head of Pakistan's delegation,")
    assert speaker_of('"Drivers told us the shifts were breaking them," Ms Ruebeck said.')[0] == "Ms Ruebeck"
    # A rejection only foreseen is no answer yet.
    threat = "The province offered arbitration and would legislate if the nurses' union turned the offer down."
    assert status_cue(threat) is None
    assert response_cue(threat) is None
    # Studying a proposal is a step; a few members' own plans are not.
    assert statement_kind("The movement said it would study it.") == "future"
    assert commentator("Some members said on social media that they would vote against the deal.")
    assert not commentator("Some delegates said talks would resume on Monday.")


def test_stances_answers_and_terms_of_a_labour_dispute() -> None:
    from summariser.cues import answer_beside, opens_as_terms

    # A flat refusal, a side judging its own offer and a lock-out threat are stances.
    assert statement_kind('"Longer rookie contracts are a non-starter," said the union\'s director.') == "demand"
    assert statement_kind('"We cannot bring back a pension plan that would sink the company."') == "demand"
    assert statement_kind('"The offer we made is the best the country can afford," Mr Varga said.') == "demand"
    assert statement_kind('"We made a strong offer that reflected what we heard," she wrote.') == "demand"
    assert statement_kind('"We made an offer of 5 percent on Monday," she said.') == "offer"  # reports the offer
    assert statement_kind("The commissioner said owners will lock out the players if there is no deal by then.") == (
        "demand"
    )
    # A members' vote to reject is a rejection; an agreement only as a condition is none.
    assert status_cue("Machinists voted on Wednesday to reject the planemaker's latest contract offer.") == "rejected"
    assert statement_kind("He said a summit should come only after the two sides had agreed on a text.") != (
        "agreement"
    )
    # The noun "plan to" is no step; "Under the programme" tells what the deal holds.
    assert (
        statement_kind(
            "Korvan reached a loan agreement with the fund on Tuesday, but creditors rejected the "
            "government's plan to restructure its debt."
        )
        == "agreement"
    )
    assert statement_kind("Under the programme, Korvan will also cap public sector wages.") == "terms"
    from summariser.cues import agreement_clause

    assert agreement_clause("Korvan reached a deal with the fund, but bondholders rejected its plan.") == (
        "Korvan reached a deal with the fund"
    )
    # More of the offer told with the other side's refusal beside it.
    refused = "It would also extend rookie contracts to four years, a change the union has said it will not accept."
    assert opens_as_terms(refused) and answer_beside(refused) == "rejected"
    assert answer_beside("It would also extend rookie contracts to four years, a change the union welcomed.") == (
        "accepted"
    )
    assert answer_beside("Mediators proposed daily meetings of monitors, a mechanism the army had accepted.") == (
        "accepted"
    )
    assert answer_beside("It would also extend rookie contracts to four years, the league said.") is None


def test_stances_steps_and_speakers_of_a_fifth_wire_batch() -> None:
    from summariser.cues import crowd_opens
    from summariser.names import first_body

    # Commitments, conditions and refusals across a quotation mark are stances.
    assert statement_kind('"We remain committed to the talks," the spokesman said.') == "demand"
    assert statement_kind("Feld said his party's support depended on a timetable to close the coal plants.") == (
        "demand"
    )
    assert statement_kind('The minister said the state would "never trade criminals for hostages".') == "demand"
    assert statement_kind("They said they would free the nine only if the government released 30 fighters.") == (
        "demand"
    )
    assert statement_kind("They would free the nine if the government released 30 fighters.") == "offer"
    assert statement_kind("The Greens have also asked for the finance ministry.") == "demand"
    # Trying to, and a deadline given to someone, are steps; voters are no vote.
    assert statement_kind("The mediators would try to bring the army back to the talks within days.") == "future"
    assert statement_kind("The president said she would give Lind until Dec. 15 to present a coalition deal.") == (
        "future"
    )
    assert statement_kind('"The voters gave us a mandate, and we intend to use it," Lind said.') != "future"
    # Carrying a proposal to a side offers it; a crowd opening a sentence is no side.
    assert statement_kind("The sheikh said he had carried a new proposal to the group on Wednesday.") == "offer"
    assert crowd_opens("Families of the remaining hostages gathered outside the office to urge a deal.")
    assert not crowd_opens("The union urged its members to vote.")
    assert first_body("The centre-right Liberal Alliance, the largest opposition party") == "Liberal Alliance"
    assert first_body("Green co-leader Jonas Feld") is None


def test_whose_demand_the_mediators_offer_and_an_outside_body() -> None:
    text = (
        "Talks on the last nine hostages stalled over the group's demand for the release of its fighters. "
        "The mediators had proposed that monitors meet daily, a mechanism the army had rejected. "
        "The centre-right Liberal Alliance, the largest opposition party, said it opposed the deal."
    )
    found = _statements_without_model(
        text,
        {"Marovia": ["the army"], "Sons of the Valley": ["the group"], "Green Party": []},
        ("Kaldavia", "Ostrana"),
    )
    assert [(p.party, p.sentence) for p in found.positions] == [("Sons of the Valley", 1)]
    assert [(p.by, p.status) for p in found.proposals] == [("Kaldavia and Ostrana", "rejected")]


def test_agreements_offers_and_refusals_of_a_sixth_wire_batch() -> None:
    # An agreement on a thing stays an agreement whatever follows in the future tense; one to do something
    # is a step.
    assert (
        statement_kind("The union and the district reached a tentative agreement, and classes will resume on Monday.")
        == "agreement"
    )
    assert statement_kind("The two sides agreed on Friday to a ceasefire that will take effect on Aug. 3.") == (
        "agreement"
    )
    assert statement_kind("The two sides agreed to meet again in Brevia next month.") == "future"
    # An agreement still to be signed is a condition; refusing until then is a stance.
    assert statement_kind("He said the group would not disarm until a final agreement is signed.") == "demand"
    # Giving outright is an offer; nothing to discuss is a stance.
    assert statement_kind("Ruslan's delegate said his government would be willing to supply electricity.") == "offer"
    assert statement_kind('"Without it, there is nothing to discuss."') == "demand"


def test_steps_terms_and_stances_of_a_seventh_wire_batch() -> None:
    # Strike dates announced and a mandate that runs out in a month are steps; so is a referendum to come.
    assert statement_kind("The union announced two more 48-hour strikes for Dec. 13-14 on Monday.") == "future"
    assert statement_kind("Its current mandate runs out in May.") == "future"
    assert statement_kind("He said his government would put a new constitution to a referendum in 2027.") == "future"
    assert statement_kind("The round ends in Geneva.") != "future"
    # An offer only wished for is a stance; terms told "Under the extension" or "Under the 17-article text".
    assert statement_kind('"The company needs to come back with a serious offer."') == "demand"
    assert statement_kind('"The union must put the offer to its members," he said.') == "demand"
    assert statement_kind("Under the extension, Corvia will keep its tariffs at 30 percent.") == "terms"
    assert statement_kind("Under the 17-article text, both countries recognise each other's borders.") == "terms"
    # Pressing a side, "not on the table" and "only after" are stances; a request with its figure is put forward.
    assert statement_kind("The ministry said Sorel had pressed Corvia to lift its chip curbs.") == "demand"
    assert statement_kind('Grell said the chip controls were "not on the table".') == "demand"
    assert statement_kind("Demir said the treaty could be signed only after Arvania changed its constitution.") == (
        "demand"
    )
    assert statement_kind("Corvia has asked Hanmar to buy an additional $50 billion of its soybeans a year.") == "offer"
    assert statement_kind("The ministers of Arvania and Belkar initialled the text of a treaty on Friday.") == (
        "agreement"
    )


def test_a_term_refused_beside_it_is_rejected() -> None:
    text = (
        "The league made a new proposal to the players' association on Thursday to raise the salary cap. "
        "It would also extend rookie contracts to four years, a change the union has said it will not accept."
    )
    found = _statements_without_model(
        text, {"Northern Hockey League": ["the league"], "Hockey Players' Association": ["the union"]}
    )
    assert [(p.by, p.status, p.sentence) for p in found.proposals] == [
        ("Northern Hockey League", "unclear", 1),  # no question left to ask its status
        ("Northern Hockey League", "rejected", 2),
    ]


def test_a_capital_names_its_government_in_grounding() -> None:
    from summariser.schemas import Extraction

    from summariser.segment import segment_text
    from summariser.validate import ground_extraction

    segments = segment_text(
        "Iran and the U.S. held talks in Geneva on Thursday. "
        "Tehran's priorities at the Geneva round include an end to the sanctions that weigh on its trade."
    )
    extraction = Extraction.model_validate(
        {
            **_sides(("Iran", "U.S."), ()).model_dump(),
            "positions": [{"party": "Iran", "stance": "An end to the sanctions.", "sentence": 2}],
            "proposals": [],
            "next_steps": [],
        }
    )
    grounded = ground_extraction(extraction, segments)
    assert [p.party for p in grounded.positions] == ["Iran"]
    # Two parties stating it together, each named near it; a third named nowhere near is no joint party.
    segments = segment_text("Iran and the U.S. want sanctions eased. Oman hosted the talks. Both sides are tired.")
    extraction = Extraction.model_validate(
        {
            **_sides(("Iran", "U.S.", "Oman"), ()).model_dump(),
            "positions": [
                {"party": "Iran and U.S.", "stance": "Sanctions eased.", "sentence": 1},
                {"party": "Iran and Oman", "stance": "Sanctions eased.", "sentence": 1},
            ],
            "proposals": [],
            "next_steps": [],
        }
    )
    grounded = ground_extraction(extraction, segments)
    assert [p.party for p in grounded.positions] == ["Iran and U.S."]
    # A side whose own name holds "and" is one side of a joint deal, not two.
    guild, studios = "Screen Performers Guild", "Alliance of Film and Television Producers"
    segments = segment_text(f"The {guild} and the {studios} reached a tentative contract on Sunday.")
    extraction = Extraction.model_validate(
        {
            **_sides((guild, studios), ()).model_dump(),
            "positions": [],
            "proposals": [
                {"by": f"{guild} and {studios}", "proposal": "A tentative contract.", "status": "agreed", "sentence": 1}
            ],
            "next_steps": [],
        }
    )
    assert [p.by for p in ground_extraction(extraction, segments).proposals] == [f"{guild} and {studios}"]


def test_offers_in_another_language_are_judged_by_the_model_not_dropped(model_server: Any) -> None:
    article = Article(
        text="\n\n".join(
            [
                "Die Gewerkschaft Hafen und Logistik fordert eine Lohnerhöhung von 9 Prozent.",
                "Der Arbeitgeberverband Nordhafen bietet den Beschäftigten 4 Prozent mehr Lohn an.",
            ]
        )
    )
    sides = {
        "is_negotiation": True,
        "summary": "Tarifverhandlungen im Hafen.",
        "parties": [
            {"name": "Gewerkschaft Hafen und Logistik", "aliases": ["die Gewerkschaft"], "representatives": []},
            {"name": "Arbeitgeberverband Nordhafen", "aliases": [], "representatives": []},
        ],
        "mediators": [],
    }

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(sides)), 0.0
        question = body["messages"][-1]["content"]
        if "demand" in options:  # what does the sentence report?
            return 200, {}, completion(json.dumps("offer" if "[2]" in question else "demand")), 0.0
        if "someone else" in options:  # who made the offer? (name rules read English only)
            return 200, {}, completion(json.dumps("Arbeitgeberverband Nordhafen")), 0.0
        return 200, {}, completion(json.dumps("proposed")), 0.0

    brief = _brief(model_server, article, respond)
    # "bietet ... an" is no English "offered": the model says who made the offer, and grounding's
    # English offer words do not judge a German sentence.
    assert [(p.by, p.status, p.evidence[0].sentence) for p in brief.proposals] == [
        ("Arbeitgeberverband Nordhafen", "proposed", 2)
    ]


def test_a_sides_quoted_words_in_the_first_person_plural_are_its_position() -> None:
    positions = _statements_without_model(
        "The island states and the industrial bloc ended a third day of talks in Verano without a text.\n\n"
        '"We did not travel here to sign a text that leaves our islands underwater," '
        "island states negotiator Mele Tupou said.\n\n"
        '"Without money, there is nothing for us to discuss."\n\n'
        '"Our economies cannot grow on empty promises," said climate campaigner Rosa Ibarra.\n\n'
        '"We are close," one delegate said.\n\n'
        "Prices of carbon permits rose 2 percent.",
        {"Alliance of Island States": ["island states"], "Industrial Bloc": []},
    ).positions
    # The negotiator, and her quotation going on; not a campaigner's, nor a delegate's no one names.
    from summariser.cues import speaks_as_a_side

    assert not speaks_as_a_side('"The US must lift its sanctions first," the minister said.')  # a country, not "us"
    assert [(p.sentence, p.party) for p in positions] == [
        (2, "Alliance of Island States"),
        (3, "Alliance of Island States"),
    ]


def test_counter_offers_openings_and_dated_calls_as_wire_copy_tells_them() -> None:
    from summariser.cues import FUTURE, offer_clause, status_cue

    # A counter-offer told after the rejection: an offer, its own status not the rejection's.
    countered = "The bank rejected that offer and came back with a price of 41 dollars a share, the people said."
    assert statement_kind(countered) == "offer"
    assert offer_clause(countered).startswith("came back with")
    assert status_cue(offer_clause(countered)) is None
    # How far a side would move, with its figure and condition, is an offer; an envoy's paper too.
    assert statement_kind("He said the council could go to 5 percent if the state cut payroll taxes.") == "offer"
    assert statement_kind("The envoy said he had presented both sides with a paper setting out options.") == "offer"
    assert statement_kind("On paper, the two sides are close.") == "none"
    # Being open to something is where a side stands.
    assert statement_kind("Ruiz said the port was open to talks on phasing in the rise.") == "demand"
    # A session called for a date, and a day of protest called for one, are steps.
    assert statement_kind("The minister said she would call the council back into session on Oct. 17.") == "future"
    assert statement_kind("The unions have called a national day of protest for Oct. 10.") == "future"
    assert statement_kind("The union said it would call for a strike vote.") != "future"
    # What is still to happen, as the brief's check reads it: a body "is to" meet, sides "have until" a date.
    assert FUTURE.search("The committee is to hold its first meeting within 30 days.")
    assert FUTURE.search("The two sides have until April 30 to agree a price.")
    assert not FUTURE.search("Medvedev said the purpose of the talks is to guarantee a lasting peace.")


def test_the_terms_of_a_deal_told_under_it_are_that_deals() -> None:
    proposals = _statements_without_model(
        "Halden's tenants' union and the landlords' association reached a tentative agreement on Wednesday "
        "that would cap rent increases at 3.5 percent a year.\n\n"
        "Under the agreement, landlords will also carry out overdue repairs in 1,200 flats within a year.",
        {
            "Halden Tenants' Union": ["tenants' union"],
            "Halden Property Owners' Association": ["landlords' association"],
        },
    ).proposals
    assert [(p.sentence, p.status) for p in proposals] == [(1, "agreed"), (2, "agreed")]
    assert proposals[1].by == proposals[0].by


def test_each_item_says_which_rule_chose_its_actor() -> None:
    items = _statements_without_model(
        "The Coastal Dockworkers Union is demanding a ten percent raise.\n\n"
        "Harbourline offered a six percent raise over two years.\n\n"
        "The union and Harbourline agreed on Friday to extend the current contract by a month.",
        {"Coastal Dockworkers Union": ["union"], "Harbourline": []},
    )
    assert [(p.party, p.actor_source) for p in items.positions] == [("Coastal Dockworkers Union", "rule:speaker")]
    assert [(p.by, p.actor_source) for p in items.proposals] == [
        ("Harbourline", "rule:offerer"),
        ("Coastal Dockworkers Union and Harbourline", "rule:agreement_sides"),
    ]


def test_when_the_model_decides_it_says_what_each_english_sentence_states(model_server: Any) -> None:
    # The model calls the chamber's sentence a demand and the union's a step: its word stands,
    # where the rules would call them none and a demand.
    said = {"Calder Chamber": "demand", "is demanding": "future", "Harbourline has offered": "offer"}

    def respond(body: dict[str, Any], n: int) -> Any:
        options = choice_options(body)
        if options is None:
            return 200, {}, completion(json.dumps(SIDES)), 0.0
        question = body["messages"][-1]["content"]
        sentence = question.rsplit("Sentence [", 1)[-1]
        if "what does it report" in question:
            answer = next((kind for words, kind in said.items() if words in sentence), "none")
        else:
            answer = options[0]
        return 200, {}, completion(json.dumps({"answer": answer})), 0.0

    model_server.respond = respond
    settings = load_settings(trust_env=False, model="vllm/test", base_url=model_server.base_url, items="questions")
    assert settings.kind_mode == "model"
    brief = summarise(ARTICLE, settings=settings)
    asked = [r["messages"][-1]["content"] for r in model_server.requests if choice_options(r)]
    assert sum("what does it report" in q for q in asked) == 8  # every sentence of four words or more
    assert [(n.evidence[0].sentence, n.source) for n in brief.next_steps] == [(2, "model")]
    assert [(p.evidence[0].sentence, p.source) for p in brief.proposals] == [(3, "model")]
    rules = load_settings(
        trust_env=False, model="vllm/test", base_url=model_server.base_url, items="questions", kinds="rules"
    )
    assert rules.kind_mode == "rules"


def test_a_question_put_before_the_speaker_does_not_name_the_speaker() -> None:
    # Row asked_lead_in (docs/fixing-a-rule.md): the side named in the question is not the one answering.
    positions = _statements_without_model(
        "Talks went on between the Coastal Dockworkers Union and Harbourline.\n\n"
        "Asked about the union's demand, Harbourline insisted it could not pay more than 6 percent.",
        {"Coastal Dockworkers Union": ["union"], "Harbourline": []},
    ).positions
    assert [(p.party, p.actor_source) for p in positions] == [("Harbourline", "rule:speaker")]
