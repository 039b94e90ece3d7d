"""Jobs released at the same moment, each in its own thread with its own database
connection: what real simultaneous requests do to PostgreSQL's locks."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_at_once(jobs, *, returning: tuple[type[Exception], ...] = ()) -> list:
    """Each job's result in order; an exception of a type in ``returning`` is returned as
    that job's result, any other is raised."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            return job()
        except returning as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))
