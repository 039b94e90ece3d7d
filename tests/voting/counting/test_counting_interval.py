"""The interval certificate's parts (``equalshares.interval``), checked against exact
water levels: every bound it proves on a price, and on what a supporter holds after paying,
must hold at every budget of the interval."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.counting.equalshares import interval

POINTS = [Fraction(i, 8) - 1 for i in range(17)]  # e from -1 to 1


@st.composite
def groups(draw):
    """Groups of voters, each with a true budget a + s * e, never negative and never less
    with more money (as in a replay, see ``run.mes_follow``), and bounds around it, some
    tilted: each end of each bound a few units off."""
    k = draw(st.integers(1, 6))
    rows = []
    for _ in range(k):
        a = draw(st.integers(0, 60))
        s = draw(st.integers(0, a))
        weight = draw(st.integers(1, 5))
        below, above = draw(st.integers(0, 4)), draw(st.integers(0, 4))
        tilt = draw(st.integers(0, min(below, above)))
        zero = a == 0 and draw(st.booleans())
        bounds = (0, 0, 0, 0) if zero else (a - below, s + tilt, a + above, s - tilt)
        rows.append((Fraction(a), Fraction(s), weight, bounds))
    return rows


def arrays(rows):
    gf = np.array([r[3] for r in rows], dtype=np.float64).reshape(-1, 4)
    gw = np.array([r[2] for r in rows], dtype=np.float64)
    return gf, gw


def true_level(rows, cost, e):
    """The exact water level at e (None if the money does not reach the cost)."""
    held = sorted((a + s * e, w) for a, s, w, _ in rows)
    if sum(v * w for v, w in held) < cost:
        return None
    poor_money, poor_voters = Fraction(0), 0
    voters = sum(w for _, w in held)
    for v, w in held:
        level = (cost - poor_money) / (voters - poor_voters)
        if level <= v:
            return level
        poor_money += v * w
        poor_voters += w
    return None  # pragma: no cover - the money reaches the cost


def at(form0, form1, e):
    return Fraction(form0) + Fraction(form1) * e


@settings(max_examples=400, deadline=None, database=None)
@given(groups(), st.integers(1, 400))
def test_a_price_is_within_its_bounds_at_every_budget(rows, cost):
    gf, gw = arrays(rows)
    n = float(gw.sum())
    out = np.zeros(10)
    status = interval._price(float(cost), n, len(rows), gf, gw, out.reshape(1, -1), 0)
    levels = [true_level(rows, cost, e) for e in POINTS]
    if status == interval._DEAD:
        assert all(level is None for level in levels)
        return
    if out[5]:
        assert all(level is not None for level in levels)
    for e, level in zip(POINTS, levels, strict=True):
        # The most the supporters hold: affine between its two ends.
        held = sum((a + s * e) * w for a, s, w, _ in rows)
        assert held <= (Fraction(out[6]) * (1 - e) + Fraction(out[7]) * (1 + e)) / 2, e
        if level is None:
            continue
        assert at(out[0], out[1], e) < level, e
        if out[5]:
            assert level <= at(out[2], out[3], e), e
        if out[4]:
            assert level == Fraction(cost) / Fraction(out[4]), e


@settings(max_examples=400, deadline=None, database=None)
@given(groups(), st.integers(1, 400))
def test_what_supporters_hold_after_paying_is_within_its_bounds(rows, cost):
    gf, gw = arrays(rows)
    k = len(rows)
    out = np.zeros(10)
    if (
        interval._price(float(cost), float(gw.sum()), k, gf, gw, out.reshape(1, -1), 0)
        != interval._PRICED
    ):
        return
    if not out[5]:
        return  # not affordable at every e: never bought by the certificate
    # One project supported by k ballot types, each in its own group.
    ptr = np.array([0, k], dtype=np.int64)
    types = np.arange(k, dtype=np.int64)
    group = np.arange(2, k + 2, dtype=np.int64)
    forms = np.zeros((2 * k + 2, 4))
    forms[2 : k + 2] = gf
    moved = np.full(2 * k + 2, -1, dtype=np.int64)
    touched = np.zeros(2 * k + 2, dtype=np.int64)
    interval._pay(0, ptr, types, gw, group, forms, moved, touched, k + 2, *out[:4])
    for e in POINTS:
        level = true_level(rows, cost, e)
        for t, (a, s, _w, bounds) in enumerate(rows):
            left = max(a + s * e - level, Fraction(0))
            g = forms[group[t]]
            if group[t] == 0:
                assert left == 0, (t, e)
            else:
                assert at(g[0], g[1], e) <= left <= at(g[2], g[3], e), (t, e, bounds)
