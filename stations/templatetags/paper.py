from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or nothing: for figures kept by round id."""
    return mapping.get(key) if mapping else None
