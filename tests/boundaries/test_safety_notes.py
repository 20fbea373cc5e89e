"""The wording check answers a boundary that mentions being followed, blocked in, watched,
kept short of money, threatened or hurt with a gentle safety note first, not a rewrite
(issue 15, item 5); and the guide's examples no longer treat warning signs as material."""

import pytest

from boundaries.examples import EXAMPLES
from boundaries.signs import safety_signs
from boundaries.wording import check_boundary, check_text
from tests.boundaries.test_views import builder_post


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("You must stop checking my phone.", "monitored"),
        ("If the argument follows me out of the room, I will go for a walk.", "followed"),
        ("He shows up at my work when I don\u2019t answer.", "followed"),
        ("When he blocks the door, I will stay calm and quiet.", "blocked"),
        ("He won't let me leave the house after a row.", "blocked"),
        ("I will not let him read my messages any more.", "monitored"),
        ("She tracks my location all day.", "monitored"),
        ("He makes me share my location.", "monitored"),
        ("I'd like him to stop asking for my passwords.", "monitored"),
        ("He controls all the money and gives me an allowance.", "money"),
        ("My partner takes my pay every month.", "money"),
        ("He checks every receipt.", "money"),
        ("She says she will kill herself if I go.", "threatened"),
        ("He threatens to take the kids away.", "threatened"),
        ("I feel threatened when he shouts.", "threatened"),
        ("I'm afraid of him when he drinks.", "threatened"),
        ("If he hits me again, I will call the police.", "hurt"),
        ("He pushed me against the wall.", "hurt"),
        ("He throws things when he is angry.", "hurt"),
        # Control phrased the way people say it (review of issue 15)
        ("You use Find My iPhone to see where I am.", "monitored"),
        ("He gets my location from Snapchat.", "monitored"),
        ("Stop installing apps on my phone.", "monitored"),
        ("Stop ringing me 50 times a day when I'm out.", "monitored"),
        ("He takes my paycheck.", "money"),
        ("I have to ask him for money for groceries.", "money"),
        ("He won't let me work.", "money"),
        ("You keep my passport.", "isolated"),
        ("He won't let me see my friends.", "isolated"),
        ("He sits outside my work.", "followed"),
        ("Stop sharing my nudes.", "images"),
        ("Stop breaking my things.", "intimidated"),
        ("You scream in my face.", "intimidated"),
        # A user-at-risk review of issue 15: economic abuse, physical and sexual harm,
        # surveillance, restriction of movement and intimidation, as people say them
        ("Stop taking my wages", "money"),
        ("Give me back my bank card", "money"),
        ("Stop grabbing my arm", "hurt"),
        ("Stop spitting on me", "hurt"),
        ("Stop making me have sex when I say no", "hurt"),
        ("Stop logging into my email", "monitored"),
        ("Stop recording me without asking", "monitored"),
        ("Stop putting cameras in the house", "monitored"),
        ("Stop using the find my app on me", "monitored"),
        ("Stop taking my phone away", "isolated"),
        ("Stop telling me I cannot go out", "blocked"),
        ("Stop taking the car so I am stuck", "blocked"),
        ("Stop driving recklessly to scare me", "intimidated"),
        # and our own, in other words for the same kinds
        ("He spends my savings without asking.", "money"),
        ("Stop taking out loans in my name.", "money"),
        ("She makes me hand over my pay every Friday.", "money"),
        ("He rings my boss to get me fired.", "money"),
        ("Stop pulling my hair.", "hurt"),
        ("He twisted my wrist last night.", "hurt"),
        ("Stop pressuring me into sex.", "hurt"),
        ("He takes the condom off without telling me.", "hurt"),
        ("He hides my pills so I get pregnant.", "hurt"),
        ("Stop holding me down.", "hurt"),
        ("He spat in my face.", "hurt"),
        ("Stop going through my bag.", "monitored"),
        ("She reads my diary.", "monitored"),
        ("Stop putting a tracker on my car.", "monitored"),
        ("He makes me video call to prove where I am.", "monitored"),
        ("Stop filming me when I cry.", "monitored"),
        ("Stop listening in on my calls.", "monitored"),
        ("He won't let me drive.", "blocked"),
        ("I have to ask his permission to leave the house.", "blocked"),
        ("I'm not allowed out on my own.", "blocked"),
        ("He decides who I can see.", "isolated"),
        ("He unplugs the router so I can't call anyone.", "isolated"),
        ("He pulled a knife on me.", "threatened"),
        ("Stop waving the knife at me.", "threatened"),
        ("He drives fast to frighten me.", "intimidated"),
        ("He punches the wall next to my head.", "hurt"),
    ],
)
def test_a_sign_of_control_or_danger_gets_the_safety_note_instead_of_a_rewrite(text, sign):
    assert sign in safety_signs(text)
    [flag] = check_text("action", text)  # alone: no "you must" rewrite beside it
    assert flag.kind == "safety" and sign in flag.signs
    assert "not your fault" in flag.suggestion and "safety plan" in flag.suggestion
    assert [link["url"] for link in flag.links] == ["/safety/plan/", "/safety/"]


@pytest.mark.parametrize(
    "text",
    [
        "I'd like us to put phones away at dinner.",
        "I will not check my phone during dinner.",
        "I'll stop checking my email after nine.",
        "I feel hurt when you forget my birthday.",
        "I'll take my keys and go for a walk.",
        "We should limit our spending this month.",
        "I'll take the kids to school on Mondays.",
        "It hit me that we never talk any more.",
        "I'm afraid of what you'll think.",
        "The thought of losing you scares me.",
        "Please keep me in the loop about the weekend.",
        "I choke up when I talk about this.",
        "Please ask before borrowing my car.",
        "I'll call you when I'm out.",
        "Let's split the grocery money.",
        "I want to see my friends on Fridays.",  # a limit for oneself, not a sign
        "I keep my passport in the drawer.",
        "I'm breaking my phone habit.",
        # Ordinary limits near the words the signs above use (a user-at-risk review)
        "I'd like us to check in before big purchases.",
        "I want an hour to myself on Sundays.",
        "Let's not record family videos without asking the kids.",
        "I'll record my lectures so I can listen on the bus.",
        "Please tell me when you're taking the car.",
        "Please give me back my charger when you borrow it.",
        "I'm stuck on what to say to you.",
        "We'll put a camera on the front door for parcels.",
        "Stop telling me I can't cook.",
        "Please hold my hand when we argue.",
        "Stop pulling my leg about my job.",
        "I want us to drive carefully with the kids in the car.",
        "I'd like an evening out with my sister each month.",
        "Let's agree who pays which bills.",
        "I'll hand over the car keys when I get home.",
        "Please put the knives away after cooking.",
        "Let's decide who we can see at Christmas.",
        "I'll ask my boss for a day off.",
    ],
)
def test_ordinary_boundaries_get_no_safety_note(text):
    assert safety_signs(text) == []
    assert all(flag.kind != "safety" for flag in check_text("action", text))


def test_a_sign_in_any_field_replaces_every_rewrite_for_that_boundary():
    values = {
        "need": "To stop being followed from room to room.",
        "action": "You must stop.",
        "say": "You need to listen.",
        "support": "My sister. He checks my phone, so I call her from work.",
    }
    [flag] = check_boundary(values)
    assert flag.kind == "safety" and flag.field == "need"
    assert flag.signs == ("followed", "monitored")
    assert "Being followed" in flag.explanation and "phone, messages, accounts or location" in (
        flag.explanation
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.slug)
def test_no_example_is_about_a_warning_sign(example):
    texts = [str(value) for value in vars(example).values()]
    assert not any(safety_signs(text) for text in texts)
    joined = " ".join(texts).lower()
    for phrase in ("follows me", "name-calling", "called names", "cruel", "put down"):
        assert phrase not in joined


def test_the_live_check_answers_with_the_note_and_its_links(signed_in):
    response = signed_in.post("/plans/check/", {"need": "He tracks my location.", "action": ""})
    [flag] = response.json()["flags"]
    assert flag["kind"] == "safety" and flag["title"] == "A note about safety"
    assert flag["links"][0] == {"url": "/safety/plan/", "text": "Make a safety plan"}


def test_a_saved_plan_shows_the_note_with_its_links_and_no_rewrite(signed_in):
    rows = [{"action": "You must stop going through my phone."}]
    response = signed_in.post("/plans/new/", builder_post("Plan", rows=rows), follow=True)
    html = response.text
    assert "There is a note about safety below" in html
    assert "A note about safety" in html and "your plan is saved either way" not in html
    assert '<a href="/safety/plan/">Make a safety plan</a>' in html
    assert '<a href="/safety/">Safety and crisis lines</a>' in html
    assert "tells your partner what they have to do" not in html
