from django import template

from proposals.money import format_pence

register = template.Library()

STATUS_TAG_COLOURS = {
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "feasible": "govuk-tag--green",
    "not_feasible": "govuk-tag--red",
    "on_ballot": "govuk-tag--purple",
    "funded": "govuk-tag--green",
    "not_funded": "govuk-tag--grey",
    "withdrawn": "govuk-tag--grey",
}


@register.filter
def pounds(pence):
    """Pence as £2,500 or £2,500.50."""
    return format_pence(pence)


@register.filter
def status_tag_class(status):
    return STATUS_TAG_COLOURS.get(status, "")
