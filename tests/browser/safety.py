"""Answer the safety check the way a person does: each question by its label, then "Go on"."""

from guides import safety_check as gate


def answer_safety_check(page, yes_to: str | None = None) -> None:
    """Answer every question "No", or "Yes" to the one whose text starts with *yes_to*."""
    for question in gate.QUESTIONS:
        text = str(question.text)
        choice = "Yes" if yes_to and text.startswith(yes_to) else "No"
        page.get_by_role("group", name=text).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Go on").click()
    page.wait_for_load_state()
