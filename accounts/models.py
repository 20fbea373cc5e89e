from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    """Users are known by their email address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the site. We keep an email address and nothing else about them."""

    # Fields of AbstractUser this site does not keep (the stubs cannot express removing one).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    # Plain tab titles, email sender and file names (core.discreet). Not sensitive in
    # itself, so kept in clear: it only says the person asked for plain names.
    discreet = models.BooleanField("discreet mode", default=False)
    # The person's IANA time zone ("Europe/London"), chosen on the reminders page:
    # reminders come at the hour they chose there, in this zone (reminders.schedule).
    time_zone = models.CharField("time zone", max_length=64, default="UTC")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[misc,assignment]  # by email, not username

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.email

    def get_short_name(self):
        return self.email


class UserKey(models.Model):
    """A person's own data key, stored only wrapped (encrypted) under the server keys.

    Everything they write (journal, boundary plans, conversation plans, self-checks)
    is sealed with this key (accounts.sealing). Rotating the server keys re-wraps it
    without touching the data it protects. Deleting the account deletes this row, so
    the live database can no longer open their data; a backup made before that still
    holds the wrapped key beside the sealed rows, and anyone with the server keys can
    open it until the backup expires (docs/privacy.md).
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="data_key"
    )
    wrapped = models.TextField(help_text="The data key, encrypted with DATA_ENCRYPTION_KEYS.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "user data key"

    def __str__(self):
        return f"Data key of user {self.user_id}"
