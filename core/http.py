"""Responses more than one app sends."""

from django.http import HttpResponseRedirect


class SeeOther(HttpResponseRedirect):
    """A 303: the browser follows it with a GET, whatever method brought it here."""

    status_code = 303
