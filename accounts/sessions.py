"""Sessions sealed at rest: Django's cached_db sessions, encrypted under the server keys.

Django signs session data but does not encrypt it: anyone holding a copy of the
database (a dump, a backup) or of the cache can read it with base64. What the site
keeps in a session can be what a person wrote: allauth keeps a form posted after
reauthentication has lapsed (a journal export's title and search words, say) until
they sign in again, and a two-factor secret while it is being set up. So the row in
django_session and the copy in the cache both hold a Fernet token (accounts.crypto).

Sessions written before this store (signed, not sealed) are still read, and are
sealed at their next save, so switching to it signs nobody out.
"""

import logging

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from .crypto import InvalidToken, server_cipher

__all__ = ["SessionStore"]

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(CachedDBStore):
    cache_key_prefix = "accounts.sessions.sealed"

    def encode(self, session_dict):
        # Fernet authenticates as well as encrypts, so Django's signature would be
        # a second check of the same thing (and half the cost of reading a session).
        return server_cipher().encrypt(self.serializer().dumps(session_dict)).decode("ascii")

    def decode(self, session_data):
        try:
            plain = server_cipher().decrypt(session_data.encode("ascii"))
        except (InvalidToken, UnicodeError):
            # Written before sessions were sealed: signed only, read as Django would.
            return super().decode(session_data)
        try:
            return self.serializer().loads(plain)
        except ValueError:  # as Django: an unreadable session is an empty one
            return {}

    # The cache keeps the sealed string, not the dictionary cached_db would keep.

    def load(self):
        try:
            sealed = self._cache.get(self.cache_key)
        except Exception:  # as cached_db: some backends refuse odd keys
            sealed = None
        if isinstance(sealed, str):
            return self.decode(sealed)
        session = self._get_session_from_db()
        if not session:
            return {}
        self._cache.set(
            self.cache_key, session.session_data, self.get_expiry_age(expiry=session.expire_date)
        )
        return self.decode(session.session_data)

    def save(self, must_create=False):
        self._sealed = None
        super(CachedDBStore, self).save(must_create)  # the database row
        if self._sealed is None:  # nothing was written (the key was taken, say)
            return
        try:
            self._cache.set(self.cache_key, self._sealed, self.get_expiry_age())
        except Exception:  # as cached_db: the row is saved; the cache is only a copy
            logger.exception("Error saving to cache (%s)", self._cache)

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        self._sealed = instance.session_data
        return instance

    # The site runs under WSGI; under ASGI the same sealed paths run in a thread.

    async def aload(self):
        return await sync_to_async(self.load)()

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)
