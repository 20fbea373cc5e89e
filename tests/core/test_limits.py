"""Text over a field's limit gets one message, wherever it is typed."""

import pytest
from django.core.exceptions import ValidationError

from boundaries.forms import PlanForm
from boundaries.models import TEXT_LIMIT
from core.limits import over_limit_message
from core.markdown import MAX_LENGTH
from guides.forms import FIELD_LIMIT, ConversationPlanForm
from journal.forms import check_body


def test_the_message_says_how_long_the_limit_and_by_how_much_and_that_the_text_is_kept():
    assert over_limit_message(2_150, 2_000) == (
        "This is 2,150 characters; the limit is 2,000. Shorten it by 150 characters "
        "and save again: your text is still here."
    )


def test_a_journal_entry_over_the_limit_gets_the_one_message():
    with pytest.raises(ValidationError) as refused:
        check_body("x" * (MAX_LENGTH + 9))
    assert refused.value.messages == [over_limit_message(MAX_LENGTH + 9, MAX_LENGTH)]


def test_a_boundary_plan_over_the_limit_gets_the_one_message():
    form = PlanForm(data={"title": "Evenings", "why": "x" * (TEXT_LIMIT + 1)})
    assert not form.is_valid()
    assert form.errors["why"] == [over_limit_message(TEXT_LIMIT + 1, TEXT_LIMIT)]


def test_a_conversation_plan_over_the_limit_gets_the_one_message():
    form = ConversationPlanForm(data={"questions": "x" * (FIELD_LIMIT + 3)})
    assert not form.is_valid()
    assert form.errors["questions"] == [over_limit_message(FIELD_LIMIT + 3, FIELD_LIMIT)]
