"""A small store kept in this process that forgets the least recently used entry when full,
for drawings that are dear to make and cheap to keep (the ballot page and its parts)."""

import threading
from collections import OrderedDict
from collections.abc import Hashable


class LRU[V]:
    def __init__(self, size: int):
        if size < 1:
            raise ValueError("an LRU store keeps at least one entry")
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        # Web workers may run threads; OrderedDict's reordering is not safe across them.
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries
