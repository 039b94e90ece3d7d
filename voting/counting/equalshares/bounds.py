"""The float error bounds Equal Shares' float shortcuts rely on.

Every float budget is within a proven ``err`` of its exact value, and every float sum of
n terms within (n + small) x EPS of the exact sum (each addition rounds by at most half a
unit in the last place). Bounds are widened by ``SLACK`` on top, far above any rounding,
so a float comparison that passes with them also holds exactly.

Weighted sums go through :func:`dot`, never BLAS (``a @ b``): BLAS spreads a long dot
product over threads, which on a busy machine costs a hundred times the product itself.
The bound above is the same for every order of addition, so ``dot``'s pairwise sum keeps it.
"""

import numpy as np

# One unit in the last place of a float near 1; also covers rationals converted to float
# by truncation (gmpy2) rather than by rounding.
EPS = 2.0**-52
# Extra relative room on every float bound, far above any rounding in these sums.
SLACK = 1e-12
# Below this many supporting ballot types, copying the poor out of an array is cheaper
# than a masked sum over all of it; above it, the other way round. Speed only.
SHORT = 256
UNAFFORDABLE = "unaffordable"
UNSURE = "unsure"


def dot(a, b) -> float:
    """The sum of ``a * b`` as a float, in one thread."""
    return float(np.add.reduce(np.multiply(a, b)))
