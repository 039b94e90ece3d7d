"""Side connections to the test database, for tests that hold locks or watch waiters."""

from urllib.parse import quote

from django.conf import settings


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    socket_dir = db.get("OPTIONS", {}).get("host")
    if not db.get("HOST") and socket_dir:
        # The embedded PostgreSQL listens on a socket in the project's .local folder.
        return f"postgres://{quote(db['USER'])}{password}@/{db['NAME']}?host={quote(socket_dir)}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}{port}/{db['NAME']}"


def lock_waiters(conn, lock_type: str | None = None) -> list[int]:
    """Backends of the test database waiting for a lock (of ``lock_type``, if given:
    'advisory', 'relation', 'transactionid', ...)."""
    rows = conn.execute(
        "SELECT DISTINCT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
        "WHERE a.datname = current_database() AND NOT l.granted "
        "AND (%s::text IS NULL OR l.locktype = %s::text)",
        [lock_type, lock_type],
    ).fetchall()
    return [row[0] for row in rows]
