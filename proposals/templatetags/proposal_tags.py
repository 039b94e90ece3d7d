from django import template

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
def status_tag_class(status):
    return STATUS_TAG_COLOURS.get(status, "")
