"""The demo's Welsh names and texts."""


def with_welsh(obj, **welsh: str) -> None:
    """Give a demo row its Welsh text, also when it was made before the Welsh fields were."""
    blank = {field: text for field, text in welsh.items() if not getattr(obj, field)}
    if blank:
        for field, text in blank.items():
            setattr(obj, field, text)
        obj.save(update_fields=list(blank))
