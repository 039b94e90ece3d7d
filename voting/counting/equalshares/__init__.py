"""The Method of Equal Shares, exactly, and its completions.

Every voter gets an equal share of the budget. A proposal can be bought if its supporters
still hold enough money between them; their payments are as equal as possible (per unit
of satisfaction: per unit of cost for approval ballots, per point for points ballots),
with poorer supporters paying everything they have left. Each round the proposal with
the lowest price per unit of satisfaction ``rho`` is bought; ties go to the tie-break
order. Every price and budget the count decides by is an exact rational number.

A newcomer's map, each module stating the proof obligations it relies on:

* ``supporters``: who supports what, as arrays (``MesData``);
* ``budgets``: groups of voters with the same money, exact budgets worked out on demand;
* ``pricing``: float prices with proven intervals, and the heap of lower bounds;
* ``exact``: exact water-filling when floats cannot tell;
* ``paying``: charging a purchase and moving supporters to new groups;
* ``run``: one run at a budget per voter, and the replay certificate;
* ``compiled``: one run on approval ballots compiled with Numba, each decision proven in
  floats or left to the exact run (Add1 runs every step with it);
* ``completion``: Add1 (pabulib's and pabutools') and the comparison step with greedy;
* ``bounds``: the float error constants.
"""

from .completion import add1, comparison
from .run import mes_follow, mes_run, method_of_equal_shares
from .supporters import MesData

__all__ = ["MesData", "add1", "comparison", "mes_follow", "mes_run", "method_of_equal_shares"]
