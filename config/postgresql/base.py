"""Django's PostgreSQL backend, with a cheaper check of a kept connection.

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` before a request's first query on a
kept connection: a round trip for every request, two for every voter. An idle connection
has nothing to read unless the server has sent something since: when PostgreSQL ends a
session (a restart, a terminated or crashed backend, an idle timeout) it closes the
socket, after an error message when it can, and the socket turns readable. So the check
looks at the socket without waiting, and asks the server only when something arrived.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
