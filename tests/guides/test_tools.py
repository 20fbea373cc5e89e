"""The Tools page: every tool findable from the menu, the home page and the steps."""

from guides.content import site_content
from guides.models import ConversationPlanContent, SelfCheckContent
from guides.services import conversation_plan_save, self_check_create
from safety.models import PlanContent
from safety.services import plan_save


def test_the_tools_page_lists_the_tools_with_the_step_that_explains_each(client):
    page = client.get("/tools/").text
    for action, url in [
        ("Plan a conversation", "/conversation-planner/"),
        ("Take the self-check", "/self-check/"),
        ("Write a boundary plan", "/plans/"),
        ("Make a safety plan", "/safety/plan/"),
    ]:
        assert f'<a class="button" href="{url}">{action}</a>' in page
    for tool in ("conversation-planner", "self-check", "boundary-plan"):
        step = next(s for s in site_content().steps if s.tool == tool)
        assert f'href="{step.get_absolute_url()}"' in page
    assert "asks you to sign in first" in page


def test_someone_signed_in_sees_what_they_have_made(signed_in, user, django_assert_max_num_queries):
    conversation_plan_save(user=user, plan=None, content=ConversationPlanContent(feeling="a"))
    conversation_plan_save(user=user, plan=None, content=ConversationPlanContent(feeling="b"))
    self_check_create(user=user, content=SelfCheckContent())
    plan_save(user=user, content=PlanContent(calm="Breathe"))
    with django_assert_max_num_queries(9):
        page = signed_in.get("/tools/").text
    assert "You have 2 plans." in page and "You last took it on " in page
    assert "You last saved it on " in page
    assert "asks you to sign in first" not in page


def test_the_menu_links_to_the_tools_on_every_page(client):
    for path in ("/", "/guides/", "/safety/"):
        assert '<a href="/tools/"' in client.get(path).text, path


def test_the_home_page_offers_the_tools_once_signed_in(client, signed_in):
    assert "open your tools" in signed_in.get("/").text


def test_each_step_with_a_tool_links_to_all_the_tools(safety_checked):
    client = safety_checked
    for step in site_content().steps:
        page = client.get(step.get_absolute_url()).text
        assert ('class="tool__all" href="/tools/"' in page) == bool(step.tool), step.key
