from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    personal_data = "accounts.personal_data"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import pre_save

        # crypto connects the setting_changed receiver; signals makes a sign-in
        # count as a fresh password check.
        from . import crypto, signals  # noqa: F401
        from .devices import forget_ended_session, keep_only_the_label

        # The sessions table keeps a device name, not the user agent or IP address.
        pre_save.connect(
            keep_only_the_label,
            sender="usersessions.UserSession",
            dispatch_uid="accounts.keep_only_the_label",
        )
        user_logged_out.connect(forget_ended_session, dispatch_uid="accounts.forget_ended_session")
