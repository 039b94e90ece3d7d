"""What a page's HTML shows, for tests that read it as text."""


def in_page_order(html: str, names: list[str]) -> bool:
    """Whether each name is shown (as an element's whole text) in this order."""
    places = [html.index(f">{name}<") for name in names]
    return places == sorted(places)
