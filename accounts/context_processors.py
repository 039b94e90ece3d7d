from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

# Each language is named in itself, as people look for their own.
NATIVE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}


def language_links(request):
    """Links to this page in each language, so switching works without JavaScript."""
    current = get_language()
    # A page drawn in answer to a form sent to an address that takes only POST (the
    # kiosk's code form, say) names the address that shows it again.
    path = getattr(request, "language_links_path", None) or request.get_full_path()
    links = [
        {
            "code": code,
            "name": NATIVE_NAMES.get(code, name),
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_links": links}
