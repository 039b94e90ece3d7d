"""Counting rounds, storing each envelope's outcome once, and publishing the results.

``voting/counting/`` is the engine (plain Python); this package connects it to the
database, Celery and the public results pages.
"""
