from tests.stations.conftest import anchor_staff  # noqa: F401
from tests.voting.results.conftest import (  # noqa: F401
    closed_envelope,
    compared_envelope,
    published_envelope,
)
