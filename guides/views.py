from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import SignedInRequest
from accounts.sealing import user_keys
from core import safety_gate
from core.http import SeeOther
from core.ownership import get_owned_or_404
from core.pagecache import served_from_memory
from core.ratelimit import limit_writes

from . import safety_check as gate
from . import selectors, services
from .content import Guide, Step, site_content
from .forms import ConversationPlanForm, SelfCheckForm
from .links import journal_prompt_url
from .models import (
    ConversationPlan,
    SelfCheck,
    SelfCheckContent,
    StepProgress,
)
from .search import MAX_QUERY, search
from .selectors import done_step_keys
from .signals import PENDING_STEP_DONE


def _guide_or_404(slug: str) -> Guide:
    guide = site_content().guide(slug)
    if guide is None:
        raise Http404("No such guide")
    return guide


def _step_or_404(guide_slug: str, step_slug: str) -> tuple[Guide, Step]:
    guide = _guide_or_404(guide_slug)
    step = guide.step(step_slug)
    if step is None:
        raise Http404("No such step")
    return guide, step


def _moved_step(guide_slug: str, step_slug: str) -> Step | None:
    """The step an old address now leads to (guides/content/moved.yaml), or None."""
    content = site_content()
    key = f"{guide_slug}/{step_slug}"
    return content.step_by_key(key) if key in content.moved else None


def _tool_link(tool: str) -> tuple[str, str] | None:
    names = {
        "conversation-planner": ("guides:planner-list", "Open the conversation planner"),
        "self-check": ("guides:self-check", "Take the self-check"),
        "boundary-plan": ("boundaries:list", "Open the boundary plan builder"),
    }
    if tool not in names:
        return None
    url_name, label = names[tool]
    return reverse(url_name), label


# --- Reading ------------------------------------------------------------------------


@login_not_required
@require_GET
@served_from_memory
def index(request: HttpRequest) -> HttpResponse:
    content = site_content()
    done = done_step_keys(request.user)
    rows = [
        {
            "guide": guide,
            "done": sum(1 for step in guide.steps if step.key in done),
        }
        for guide in content.guides
    ]
    return render(request, "guides/index.html", {"rows": rows})


@login_not_required
@require_GET
@served_from_memory
def guide_detail(request: HttpRequest, guide_slug: str) -> HttpResponse:
    guide = _guide_or_404(guide_slug)
    done = done_step_keys(request.user)
    steps = [(step, step.key in done) for step in guide.steps]
    done_count = sum(1 for _, is_done in steps if is_done)
    # Once any step is done, the guide offers the first one not done yet.
    next_step = next((step for step, is_done in steps if not is_done), None) if done_count else None
    return render(
        request,
        "guides/guide.html",
        {"guide": guide, "steps": steps, "done_count": done_count, "next_step": next_step},
    )


# --- The safety check (guides/safety_check.py) ------------------------------------------


def _needs_check(request: HttpRequest, needed: bool) -> bool:
    """Whether the check stands in front of this page now. A page that needs it depends on
    the session, so no browser or proxy may keep a copy of it either way."""
    if not needed:
        return False
    request.private_page = True  # type: ignore[attr-defined]  # read by PrivateNoStoreMiddleware
    return not safety_gate.is_checked(request)


@login_not_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def safety_check_answer(request: HttpRequest) -> HttpResponse:
    """Read the check's answers once, then 303 on: "no" to every question goes to the page
    asked for, anything else to the page about safer ways through (anyone can open it).

    The answers are read here and nowhere else; the session remembers only that the check
    was answered in this sitting. A GET (an address typed or kept) shows the guides.
    """
    if request.method != "POST":
        return redirect("guides:index")
    target = gate.safe_target(request.POST.get("next"))
    answers = gate.read_answers(request.POST)
    if answers.missing:
        if target is None:
            return SeeOther(reverse("guides:index"))
        title = gettext("A few questions first")
        return gate.check_page(request, target=target, title=title, answers=answers)
    safety_gate.mark_checked(request)
    if answers.all_no:
        return SeeOther(target or reverse("guides:index"))
    return SeeOther(gate.safer_page_url(target))


@login_not_required
@require_GET
def safety_check_safer(request: HttpRequest) -> HttpResponse:
    """Which guides fit, which could raise the risk, and where to get help.

    A page anyone can open (the check links to it too), with nothing about any answer:
    ``next`` is only the path of the page the person chose, offered as a button.
    """
    request.private_page = True  # type: ignore[attr-defined]  # read by PrivateNoStoreMiddleware
    content = site_content()
    grow = content.guide("grow-yourself")
    return render(
        request,
        "guides/safety_check_safer.html",
        {
            "target": gate.safe_target(request.GET.get("next")),
            "grow": grow,
            "support": grow.step("support-for-you") if grow else None,
            "risky": gate.risky_guides(content.guides),
            "regions": gate.regions(settings.SAFETY_LINES),
            "emergency_in_page": True,  # said once, in its notice: not again in the footer
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def safety_check(request: HttpRequest, guide_slug: str) -> HttpResponse:
    """The check's old address (one guide's page). The check now stands in front of each
    partner-facing step, so this shows the guide, whatever the address or form carries."""
    return redirect(_guide_or_404(guide_slug))


@login_not_required
@require_GET
@served_from_memory
def step_detail(request: HttpRequest, guide_slug: str, step_slug: str) -> HttpResponse:
    if moved := _moved_step(guide_slug, step_slug):
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    guide, step = _step_or_404(guide_slug, step_slug)
    if _needs_check(request, step.safety_check):
        return gate.check_page(request, target=request.path, title=f"{step.title} · {guide.title}")
    previous, following = guide.neighbours(step)
    is_done = False
    if request.user.is_authenticated:
        is_done = StepProgress.objects.for_user(request.user).filter(step_key=step.key).exists()
    return render(
        request,
        "guides/step.html",
        {
            "guide": guide,
            "step": step,
            "previous": previous,
            "following": following,
            "is_done": is_done,
            "prompts": [(prompt, journal_prompt_url(step, prompt)) for prompt in step.prompts],
            "tool": _tool_link(step.tool),
        },
    )


@login_not_required
@require_POST
def step_done(request: HttpRequest, guide_slug: str, step_slug: str) -> HttpResponse:
    """Mark a step done (or not done again).

    Signed-out readers sign in or sign up first: the step is kept in their session and
    marked as soon as they are signed in (guides.signals), then they come back here.
    """
    guide, step = _step_or_404(guide_slug, step_slug)
    if not request.user.is_authenticated:
        if request.POST.get("done") != "0":
            request.session[PENDING_STEP_DONE] = step.key
            messages.info(
                request,
                gettext("Sign in, or create a free account, and “%(step)s” will be marked as done.")
                % {"step": step.title},
            )
        return redirect_to_login(step.get_absolute_url())
    if request.POST.get("done") == "0":
        StepProgress.objects.for_user(request.user).filter(step_key=step.key).delete()
        messages.info(
            request, gettext("“%(step)s” is no longer marked as done.") % {"step": step.title}
        )
        return redirect(step)
    try:
        with transaction.atomic():
            StepProgress.objects.create(user=request.user, step_key=step.key)
    except IntegrityError:
        pass  # Already done: a double click or a second tab.
    _, following = guide.neighbours(step)
    messages.success(request, gettext("“%(step)s” is marked as done.") % {"step": step.title})
    return redirect(following or guide)


@login_not_required
@require_GET
@served_from_memory
def guide_print(request: HttpRequest, guide_slug: str) -> HttpResponse:
    guide = _guide_or_404(guide_slug)
    if _needs_check(request, guide.has_checked_steps):
        return gate.check_page(request, target=request.path, title=guide.title)
    return render(request, "guides/guide_print.html", {"guide": guide})


@login_not_required
@require_http_methods(["GET", "POST"])
def search_view(request: HttpRequest) -> HttpResponse:
    """Search the guides. The form is POSTed: what people search for ("he hits me", "divorce")
    says as much as a journal entry, and must not sit in the browser's history or a log.

    A GET with ?q= still answers (an old bookmark), but the site never builds one.
    """
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()
    truncated = len(query) > MAX_QUERY
    if truncated:
        query = query[:MAX_QUERY]
    hits = search(site_content(), query) if query else []
    response = render(
        request,
        "guides/search.html",
        {"query": query, "hits": hits, "truncated": truncated, "max_query": MAX_QUERY},
    )
    if query:
        add_never_cache_headers(response)  # no copy of the results page in the browser's cache
    return response


@login_not_required
@require_GET
@served_from_memory
def sources(request: HttpRequest) -> HttpResponse:
    content = site_content()
    used_in: dict[str, list[tuple[Guide | None, Step]]] = {
        source_id: [] for source_id in content.sources
    }
    for step in content.steps:
        for source in step.sources:
            used_in[source.id].append((content.guide(step.guide_slug), step))
    listed = [(s, used_in[s.id]) for s in content.sources.values()]
    return render(
        request,
        "guides/sources.html",
        {
            "sources": [(s, steps) for s, steps in listed if s.edition == 1],
            "further": [(s, steps) for s, steps in listed if s.edition == 2],
            "claims": [
                (content.step_by_key(claim.step), claim, content.sources[claim.source])
                for claim in content.claims
            ],
        },
    )


@login_not_required
@require_GET
@served_from_memory
def for_your_partner(request: HttpRequest) -> HttpResponse:
    content = site_content()
    page = content.pages["for-your-partner"]
    # Its sources in the page itself: a link to /sources/ would land the partner on a page
    # with the site's menu, exit bar and crisis footer.
    cited = dict.fromkeys(c.source for c in content.claims if c.step == "pages/for-your-partner")
    return render(
        request,
        "guides/for_your_partner.html",
        {
            "page": page,
            "share_url": request.build_absolute_uri(request.path),
            "sources": [content.sources[source_id] for source_id in cited],
        },
    )


# --- Conversation planner (private) -------------------------------------------------------


@require_GET
def planner_list(request: SignedInRequest) -> HttpResponse:
    if _needs_check(request, True):
        title = gettext("Conversation planner")
        return gate.check_page(request, target=request.path, title=title)
    keys = user_keys(request.user)
    plans = [
        (plan, selectors.conversation_plan_content(plan, keys))
        for plan in ConversationPlan.objects.for_user(request.user)
    ]
    guide = site_content().guide("open-the-conversation")
    return render(request, "guides/planner_list.html", {"plans": plans, "guide": guide})


@require_http_methods(["GET", "POST"])
@limit_writes()
def planner_edit(request: SignedInRequest, pk: UUID | None = None) -> HttpResponse:
    plan = None
    initial = {}
    if pk is not None:
        plan = get_owned_or_404(ConversationPlan, request.user, pk=pk)
    # Only in front of reading it: a POST (text being saved) is never turned away.
    if request.method == "GET" and _needs_check(request, True):
        title = gettext("Edit conversation plan") if plan else gettext("New conversation plan")
        return gate.check_page(request, target=request.path, title=title)
    if plan is not None:
        keys = user_keys(request.user)
        initial = selectors.conversation_plan_content(plan, keys).to_dict()
    form = ConversationPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = services.conversation_plan_save(user=request.user, plan=plan, content=form.content())
        messages.success(request, gettext_lazy("Your conversation plan is saved."))
        return redirect("guides:planner-print", pk=plan.pk)
    return render(request, "guides/planner_form.html", {"form": form, "plan": plan})


def planner_print(request: SignedInRequest, pk: UUID) -> HttpResponse:
    plan = get_owned_or_404(ConversationPlan, request.user, pk=pk)
    if (
        request.method != "GET"
    ):  # after the owner check: another user's id is a 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "guides/planner_detail.html",
        {
            "plan": plan,
            "content": selectors.conversation_plan_content(plan, user_keys(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def planner_delete(request: SignedInRequest, pk: UUID) -> HttpResponse:
    plan = get_owned_or_404(ConversationPlan, request.user, pk=pk)
    return _confirm_delete(
        request,
        plan,
        template="guides/planner_delete.html",
        context={"plan": plan},
        done=gettext_lazy("The conversation plan is deleted."),
        then="guides:planner-list",
    )


def _confirm_delete(request, obj, *, template, context, done, then) -> HttpResponse:
    """Ask before deleting *obj* (GET); on POST delete it, say *done* and go to *then*."""
    if request.method == "POST":
        obj.delete()
        messages.success(request, done)
        return redirect(then)
    return render(request, template, context)


# --- Reevaluation self-check (private) --------------------------------------------------


def _answers_table(contents: list[SelfCheckContent]) -> list[dict]:
    """Rows of question, then each check's answer (number and words), for display."""
    questions = site_content().questions
    parsed = [content.answers for content in contents]
    rows = []
    for question in questions:
        labels = dict(question.choices)
        rows.append(
            {
                "question": question,
                "answers": [
                    (answer, "—" if answer is None else labels.get(answer, "—"))
                    for answer in (answers.get(question.id) for answers in parsed)
                ],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@limit_writes()
def self_check(request: SignedInRequest) -> HttpResponse:
    questions = site_content().questions
    form = SelfCheckForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        check = services.self_check_create(
            user=request.user,
            content=SelfCheckContent(answers=form.answers(), note=form.cleaned_data["note"]),
        )
        messages.success(request, gettext_lazy("Your answers are saved. Only you can see them."))
        return redirect(check)
    history = list(SelfCheck.objects.for_user(request.user)[:20])
    return render(
        request,
        "guides/self_check.html",
        {"form": form, "history": history, "guide": site_content().guide("reevaluate")},
    )


def self_check_detail(request: SignedInRequest, pk: UUID) -> HttpResponse:
    check = get_owned_or_404(SelfCheck, request.user, pk=pk)
    if request.method != "GET":  # after the owner check, as above
        return HttpResponseNotAllowed(["GET"])
    earlier = SelfCheck.objects.for_user(request.user).filter(created_at__lt=check.created_at)
    content = selectors.self_check_content(check, user_keys(request.user))
    return render(
        request,
        "guides/self_check_detail.html",
        {
            "check": check,
            "note": content.note,
            "checks": [check],
            "rows": _answers_table([content]),
            "earlier": earlier.first(),
        },
    )


@require_GET
def self_check_compare(request: SignedInRequest) -> HttpResponse:
    owned = SelfCheck.objects.for_user(request.user)
    try:
        ids = [UUID(request.GET.get(key, "")) for key in ("a", "b")]
    except ValueError:
        messages.error(request, gettext_lazy("Choose two of your self-checks to compare."))
        return redirect("guides:self-check")
    checks = sorted(
        (get_object_or_404(owned, pk=pk) for pk in ids), key=lambda check: check.created_at
    )
    return render(
        request,
        "guides/self_check_compare.html",
        {"checks": checks, "rows": _answers_table(_contents(request.user, checks))},
    )


def _contents(user, checks: list[SelfCheck]) -> list[SelfCheckContent]:
    keys = user_keys(user)
    return [selectors.self_check_content(check, keys) for check in checks]


@require_http_methods(["GET", "POST"])
def self_check_delete(request: SignedInRequest, pk: UUID) -> HttpResponse:
    check = get_owned_or_404(SelfCheck, request.user, pk=pk)
    return _confirm_delete(
        request,
        check,
        template="guides/self_check_delete.html",
        context={"check": check},
        done=gettext_lazy("That self-check is deleted."),
        then="guides:self-check",
    )
