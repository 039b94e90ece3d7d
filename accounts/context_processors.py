from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

# Each language is named in itself, as people look for their own.
NATIVE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}


def language_links(request):
    """Links to this page in each language, so switching works without JavaScript."""
    current = get_language()
    links = [
        {
            "code": code,
            "name": NATIVE_NAMES.get(code, name),
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_links": links}
