import pytest
from django.urls import reverse

from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_smoke(client, envelope):
    ProposalFactory.create_batch(3, envelope=envelope)
    response = client.get(reverse("proposals-envelope", args=[envelope.pk]))
    assert response.status_code == 200
    print(response.content.decode()[-6000:])
