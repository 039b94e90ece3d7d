from django import template

from neighbourhoods.selectors import neighbourhood_for_postcode

register = template.Library()


@register.simple_tag
def neighbourhood_of(postcode):
    """{% neighbourhood_of user.home_postcode as neighbourhood %}: where a postcode is, or
    None. Lets pages of lower apps (accounts) name it without importing this app."""
    return neighbourhood_for_postcode(postcode) if postcode else None
