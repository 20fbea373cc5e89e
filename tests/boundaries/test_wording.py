import pytest

from boundaries.examples import EXAMPLES
from boundaries.wording import check_boundary, check_text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("You must stop criticising me in front of the children.", "demand"),
        ("You need to get help.", "demand"),
        ("you have to come to counselling with me", "demand"),
        ("You will stop drinking on weeknights.", "demand"),
        ("You\u2019ll stop shouting, or else.", "demand"),  # a typographic apostrophe
        ("You're going to listen this time.", "demand"),
        ("You can't bring up my family any more.", "demand"),
        ("You should apologise first.", "demand"),
        ("You'd better be home by ten.", "demand"),
        ("My partner has to stop interrupting me.", "other"),
        ("He needs to see a counsellor.", "other"),
        ("I will not let you speak to me like that.", "force"),
        ("I will make you see that this matters.", "force"),
    ],
)
def test_wording_that_tries_to_control_the_partner_is_flagged(text, kind):
    flags = check_text("action", text)
    assert [flag.kind for flag in flags] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "I will leave the room when the shouting starts.",
        "When you need to talk, I will listen for twenty minutes.",
        "If you can't make it, I'll go on my own.",
        "I'll ask when you will be free to talk.",
        "I'll make you dinner and then go out with Sam.",
        "He won't listen, so I will stop explaining and take a walk.",
    ],
)
def test_the_users_own_actions_and_conditions_are_not_flagged(text):
    assert check_text("action", text) == []


def test_a_boundary_that_never_says_what_the_user_will_do_gets_a_gentle_note():
    flags = check_text("action", "No shouting in front of the kids.")
    assert [flag.kind for flag in flags] == ["no-i"]
    assert "doesn't say yet what you will do" in flags[0].explanation
    # The I-statement and the other fields are theirs to phrase; only the boundary needs an "I".
    assert check_text("say", "No shouting in front of the kids.") == []


def test_a_flag_quotes_the_users_words_explains_and_suggests_an_i_will_phrasing():
    [flag] = check_text("action", "Honestly, you must stop bringing up my mother at dinner.")
    assert flag.phrase == "you must stop bringing up my…"
    assert "describes your own action" in flag.explanation
    assert "“I will …”" in flag.suggestion

    [say] = check_text("say", "You need to hear me out.")
    assert "I-statement" in say.suggestion


def test_only_the_fields_that_describe_the_users_actions_are_checked():
    values = {
        "need": "You must understand that I need rest.",
        "support": "My sister says you have to respect me.",
        "action": "I will go to bed at ten.",
        "if_crossed": "You will regret it.",
    }
    flags = check_boundary(values)
    assert [(flag.field, flag.kind) for flag in flags] == [("if_crossed", "demand")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.slug)
def test_every_example_from_the_guide_reads_as_the_users_own_action(example):
    assert check_boundary(vars(example.content())) == []


def test_the_live_check_answers_with_the_flags_and_stores_nothing(signed_in):
    response = signed_in.post(
        "/plans/check/", {"action": "You must stop.", "say": "I feel tired.", "if_crossed": ""}
    )
    assert response.status_code == 200
    [flag] = response.json()["flags"]
    assert flag["field"] == "action" and flag["phrase"] == "You must stop"
    assert signed_in.post("/plans/check/", {"action": "I will rest."}).json() == {"flags": []}


def test_the_live_check_refuses_text_far_over_the_limit(signed_in):
    assert signed_in.post("/plans/check/", {"action": "x" * 4001}).status_code == 400
