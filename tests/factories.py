import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create

PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """Give the user a verified primary address, as allauth needs to sign them in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class BoundaryContentFactory(factory.Factory):
    """One boundary as plain values (boundaries.models.BoundaryContent)."""

    class Meta:
        model = BoundaryContent

    need = factory.Sequence(lambda n: f"Rest, and evening number {n} without the old row.")
    action = factory.Sequence(lambda n: f"I will step out of argument {n} and read upstairs.")
    say = "I'm going to stop here for tonight. I'm glad to talk when something new comes up."
    if_crossed = "I will say once that I'm stepping out, and go for a walk."
    support = "My friend Sam, who I'll text afterwards."
    status = "drafting"
    review_on = None


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan made the way the site makes one (boundaries.services.plan_create): version 1 kept."""

    class Meta:
        model = "boundaries.Plan"

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Looking after myself, plan {n}")
    why = "I keep losing evenings to the same conversation."
    boundaries = 3

    @classmethod
    def _create(cls, model_class, *, user, title, why, boundaries, **kwargs):
        if isinstance(boundaries, int):
            boundaries = BoundaryContentFactory.build_batch(boundaries)
        content = PlanContent(title=title, why=why, boundaries=tuple(boundaries))
        return plan_create(user=user, content=content)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    """An entry written the way the site writes one (journal.services.entry_create): sealed
    with its owner's key, rendered and indexed. Any EntryContent field can be given."""

    class Meta:
        model = "journal.JournalEntry"

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Evening {n}")
    body = "A few words about the day."
    entry_date = factory.LazyFunction(datetime.date.today)
    mood = None
    tags = ()
    prompt = ""
    step_key = ""

    @classmethod
    def _create(cls, model_class, *, user, tags, **fields):
        from journal.models import EntryContent
        from journal.services import entry_create

        content = EntryContent(tags=tuple(tags), **fields)
        return entry_create(user=user, content=content).entry


class DraftFactory(factory.django.DjangoModelFactory):
    """An autosaved draft kept the way the form's autosave keeps one (journal.services.draft_save).

    Give *entry* for a draft of changes to that entry; leave it out for a new entry's draft.
    """

    class Meta:
        model = "journal.Draft"

    user = factory.SubFactory(UserFactory)
    entry = None
    title = ""
    body = "Half a thought, not saved yet."

    @classmethod
    def _create(cls, model_class, *, user, entry, title, body):
        from journal.services import draft_save

        draft_id = draft_save(
            user=user,
            draft_id=None,
            entry_id=entry.pk if entry is not None else None,
            base_version=entry.version if entry is not None else None,
            fields={"title": title, "body": body},
        )
        return model_class.objects.get(pk=draft_id)


class StepProgressFactory(factory.django.DjangoModelFactory):
    """A guide step marked as done (it holds no text, so nothing to seal)."""

    class Meta:
        model = "guides.StepProgress"

    user = factory.SubFactory(UserFactory)
    step_key = "understand-the-resistance/not-about-you"


class ConversationPlanFactory(factory.django.DjangoModelFactory):
    """A conversation plan saved the way the planner saves one (guides.services).

    Any part of the plan can be given by name: ConversationPlanFactory(user=u, feeling="x").
    """

    class Meta:
        model = "guides.ConversationPlan"

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, user, **parts):
        from guides.models import ConversationPlanContent
        from guides.services import conversation_plan_save

        content = ConversationPlanContent.from_dict(parts)
        return conversation_plan_save(user=user, plan=None, content=content)


class SelfCheckFactory(factory.django.DjangoModelFactory):
    """A self-check saved the way the page saves one (guides.services): answers and a note."""

    class Meta:
        model = "guides.SelfCheck"

    user = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(dict)
    note = ""

    @classmethod
    def _create(cls, model_class, *, user, answers, note):
        from guides.models import SelfCheckContent
        from guides.services import self_check_create

        content = SelfCheckContent(answers=dict(answers), note=note)
        return self_check_create(user=user, content=content)
