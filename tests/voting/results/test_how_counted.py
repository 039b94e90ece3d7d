"""Every rule the engine counts is explained on the results page."""

import pytest

from voting.counting import ALIASES, RULES
from voting.results.explanations import NO_VOTES, how_counted


@pytest.mark.parametrize("rule", [*RULES, *ALIASES])
def test_every_rule_is_explained_and_says_unvoted_proposals_are_never_funded(rule):
    paragraphs = how_counted(rule)
    assert len(paragraphs) >= 2
    assert paragraphs[-1] == str(NO_VOTES)


def test_the_comparison_step_is_explained_where_it_was_used():
    assert any("compared" in p for p in how_counted("equalshares/add1-comparison"))
    assert not any("compared" in p for p in how_counted("equalshares/add1"))
