"""A boundary's fields carry one set of labels wherever they show (boundaries.labels)."""

import html

from boundaries import pdf as plan_pdf
from boundaries.forms import BoundaryForm
from boundaries.labels import FIELD_LABELS, NEUTRAL_LABELS
from boundaries.models import PlanContent
from boundaries.selectors import compare_rows
from boundaries.wording import check_text
from tests.factories import BoundaryContentFactory

TEXT_LABELS = ("need", "action", "say", "if_crossed", "support")


def printed(neutral: bool) -> str:
    content = PlanContent(title="Evenings", why="Sleep", boundaries=(BoundaryContentFactory(),))
    return html.unescape(plan_pdf.plan_html(content, plan_pdf.PrintOptions(neutral=neutral)))


def test_the_builder_labels_each_field_from_the_one_table():
    fields = BoundaryForm().fields
    assert {name: fields[name].label for name in FIELD_LABELS} == FIELD_LABELS


def test_compare_lines_up_the_fields_under_the_builders_labels():
    boundary = BoundaryContentFactory()
    content = PlanContent(title="Evenings", why="Sleep", boundaries=(boundary,))
    labels = {str(row.label) for row in compare_rows(content, content)}
    assert {str(label) for label in FIELD_LABELS.values()} <= labels


def test_the_wording_check_names_the_field_as_the_builder_does():
    [flag] = check_text("action", "You will stop shouting at me.")[:1]
    assert flag.field_label == FIELD_LABELS["action"]


def test_the_printed_plan_labels_its_fields_as_the_builder_does():
    page = printed(neutral=False)
    for name in (*TEXT_LABELS, "review_on"):
        assert str(FIELD_LABELS[name]) in page


def test_safe_to_print_uses_the_neutral_variant_and_none_of_the_builders_labels():
    page = printed(neutral=True)
    for name in (*TEXT_LABELS, "review_on"):
        assert str(NEUTRAL_LABELS[name]) in page
        assert str(FIELD_LABELS[name]) not in page
