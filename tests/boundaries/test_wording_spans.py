"""The wording check quotes the person's own words at the place it found them, whatever
characters come before (its folding keeps one character for one)."""

from boundaries.wording import check_text


def test_a_letter_that_lowers_to_two_characters_does_not_shift_the_quote():
    flags = check_text("say", "İlk önce: you must stop shouting at me.")
    assert [(flag.kind, flag.phrase) for flag in flags] == [
        ("demand", "you must stop shouting at me")
    ]


def test_the_modifier_letter_apostrophe_reads_as_an_apostrophe():
    assert [flag.kind for flag in check_text("say", "You\u02bcll stop now")] == ["demand"]
