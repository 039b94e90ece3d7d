from tests.stations.conftest import anchor_staff  # noqa: F401
from tests.voting.results.conftest import closed_envelope, published_envelope  # noqa: F401
