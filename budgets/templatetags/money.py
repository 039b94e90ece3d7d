from django import template

from budgets.money import format_pence

register = template.Library()


@register.filter
def pounds(pence):
    """{{ envelope.amount_pence|pounds }} -> £12,345.50"""
    if pence in (None, ""):
        return ""
    return format_pence(int(pence))
