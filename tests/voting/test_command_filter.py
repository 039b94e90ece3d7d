"""Commands and file names a reader types: each word moves to the next line whole, and
each hyphen is held to the characters beside it, so a line never breaks there."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load commands %}" + source).render(Context(context))


def test_each_word_is_kept_whole_and_each_hyphen_held_to_its_neighbours():
    html = render("{{ c|command }}", c="python -m counting 2025-26-splott-ballots.pb --check")

    assert html == (
        '<span class="nd-command-word">python</span> '
        '<span class="nd-command-word"><span class="nd-command-glue">-m</span></span> '
        '<span class="nd-command-word">counting</span> '
        '<span class="nd-command-word">202<span class="nd-command-glue">5-2</span>'
        '<span class="nd-command-glue">6-s</span>plot<span class="nd-command-glue">t-b</span>'
        "allots.pb</span> "
        '<span class="nd-command-word"><span class="nd-command-glue">--c</span>heck</span>'
    )


def test_a_run_of_short_parts_is_held_together_whole():
    # "a-b-c": a break after "a-b" would leave a line starting "-c".
    assert render("{{ c|command }}", c="a-b-c") == (
        '<span class="nd-command-word"><span class="nd-command-glue">a-b-c</span></span>'
    )


def test_it_takes_the_words_as_a_list_too_and_escapes_them():
    assert render("{{ c|command }}", c=["sha256sum", "<b>&.zip"]) == (
        '<span class="nd-command-word">sha256sum</span> '
        '<span class="nd-command-word">&lt;b&gt;&amp;.zip</span>'
    )
