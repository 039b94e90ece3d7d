"""What a sign-in page knows from where the person was going."""

from urllib.parse import urlsplit

from django import template
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()

# Pages only council and anchor staff can use: the admin, and the polling stations,
# kiosk and paper ballots (all named "stations-…").
STAFF_NAMESPACES = {"admin"}
STAFF_URL_NAME_PREFIX = "stations-"


@register.simple_tag(takes_context=True)
def leads_to_staff_page(context, next_url) -> bool:
    """Whether ``next_url`` (a sign-in page's next address) is a staff page, so the page
    does not offer a resident's account to someone on their way to work."""
    request = context.get("request")
    if not next_url or request is None:
        return False
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return False
    try:
        match = resolve(urlsplit(str(next_url)).path)
    except Resolver404:
        return False
    if STAFF_NAMESPACES & set(match.namespaces):
        return True
    return (match.url_name or "").startswith(STAFF_URL_NAME_PREFIX)
