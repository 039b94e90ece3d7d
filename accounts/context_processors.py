from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_links(request):
    """Links to this page in each language, so switching works without JavaScript."""
    current = get_language()
    links = [
        {
            "code": code,
            # Each language is named in itself, as people look for their own.
            "name": get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"language_links": links}
