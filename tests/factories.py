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
