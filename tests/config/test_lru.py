import pytest

from config.lru import LRU


def test_a_full_store_forgets_only_the_least_recently_used_entry():
    kept: LRU[str] = LRU(3)
    for key in "abc":
        kept.put(key, key.upper())
    assert kept.get("a") == "A"  # "a" is now the most recent; "b" the least
    kept.put("d", "D")
    assert "b" not in kept
    assert [kept.get(key) for key in "acd"] == ["A", "C", "D"]
    assert len(kept) == 3


def test_putting_a_key_again_replaces_its_value_and_makes_it_recent():
    kept: LRU[int] = LRU(2)
    kept.put("a", 1)
    kept.put("b", 2)
    kept.put("a", 10)
    kept.put("c", 3)
    assert kept.get("a") == 10 and "b" not in kept and kept.get("c") == 3


def test_a_missing_key_is_none_and_clear_empties_the_store():
    kept: LRU[int] = LRU(2)
    assert kept.get("a") is None
    kept.put("a", 1)
    kept.clear()
    assert len(kept) == 0 and kept.get("a") is None


def test_a_store_keeps_at_least_one_entry():
    with pytest.raises(ValueError):
        LRU(0)
