"""Made-up data for trying the platform: ``manage.py seed_demo``.

It sits above every app (it builds councils, rounds, ideas and ballots alike), so it is
its own app, installed by the development and test settings only.
"""
