"""Officers invite their council's anchor staff, and can stop or restore their access."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from neighbourhoods.models import AnchorStaff
from outbox.models import Message
from outbox.services import deliver_due
from tests.accounts.factories import UserFactory
from tests.conftest import with_two_factor
from tests.neighbourhoods.factories import AnchorOrganisationFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:neighbourhoods_anchorstaff_add")
LIST = reverse("admin:neighbourhoods_anchorstaff_changelist")


@pytest.fixture
def hub(council):
    return AnchorOrganisationFactory(council=council, name="Splott Community Hub")


def _invite(client, hub, email="sam@hub.test"):
    return client.post(ADD, {"email": email, "display_name": "Sam", "anchor": hub.pk})


def test_an_officer_invites_anchor_staff_by_email(officer_client, hub):
    response = _invite(officer_client, hub)
    assert response.status_code == 302
    assert mail.outbox == []  # written to the outbox with the account, sent from there
    [message] = Message.objects.all()
    assert message.kind == "neighbourhoods.anchor_staff_invitation"
    assert deliver_due() == 1
    sam = AnchorStaff.objects.get(email="sam@hub.test")
    assert (sam.is_staff, sam.council_id, sam.has_usable_password()) == (True, None, False)
    assert list(sam.anchor_organisations.all()) == [hub]
    assert EmailAddress.objects.get(user=sam).verified is True
    (invitation,) = mail.outbox
    assert invitation.to == ["sam@hub.test"]
    assert invitation.subject == "Your anchor staff account for Splott Community Hub"
    assert "Splott Community Hub on Neighbourhood Democracy." in invitation.body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)
    assert "two-factor" in invitation.body
    # Found by a trial: nothing said where the kiosk is.
    assert "/kiosk/ on the tablet voters will use" in invitation.body
    # The link opens the page where the invitee chooses a password.
    from urllib.parse import urlsplit

    page = officer_client.get(urlsplit(link).path, follow=True)
    assert page.status_code == 200
    assert "password1" in page.content.decode()


def test_the_invitation_is_written_in_the_invitees_language(officer_client, hub):
    UserFactory(email="sam@hub.test", display_name="Sam", is_staff=True, language="cy")
    _invite(officer_client, hub)
    assert deliver_due() == 1
    [invitation] = mail.outbox
    assert invitation.subject == "Eich cyfrif staff sefydliad angor ar gyfer Splott Community Hub"
    assert invitation.body.startswith("Helo Sam,")


def test_inviting_a_residents_email_is_refused_with_the_reason(officer_client, hub, resident):
    response = _invite(officer_client, hub, email=resident.email)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already has an account that is not an anchor staff account" in m for m in messages)
    assert hub.staff.exists() is False
    assert Message.objects.exists() is False


def test_officers_see_only_their_own_councils_anchor_staff(
    officer_client, outsider, hub, other_council
):
    mine = UserFactory(email="mine@hub.test", is_staff=True)
    hub.staff.add(mine)
    theirs = UserFactory(email="theirs@hub.test", is_staff=True)
    AnchorOrganisationFactory(council=other_council).staff.add(theirs)
    listed = officer_client.get(LIST).context["cl"].result_list
    assert [user.email for user in listed] == ["mine@hub.test"]
    url = reverse("admin:neighbourhoods_anchorstaff_change", args=[theirs.pk])
    assert officer_client.get(url).status_code == 404


def test_an_officer_stops_and_restores_a_staff_members_access(officer_client, hub):
    sam = UserFactory(email="sam@hub.test", is_staff=True)
    hub.staff.add(sam)
    data = {"action": "deactivate", "_selected_action": [sam.pk]}
    officer_client.post(LIST, data)
    sam.refresh_from_db()
    assert sam.is_active is False
    officer_client.post(LIST, {**data, "action": "reactivate"})
    sam.refresh_from_db()
    assert sam.is_active is True


def _admin_pages() -> list[str]:
    """Every page of every model in the admin registry (lists, add, change, delete,
    history, exports and each admin's own extra pages) and the site's own pages, so a model
    added later is tested without anyone remembering to list it. Object pages are asked
    for object 1."""
    urls = [reverse("admin:index"), reverse("admin:autocomplete"), reverse("admin:jsi18n")]
    for model, model_admin in admin.site._registry.items():
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
        for pattern in model_admin.urls:
            if not pattern.name:
                continue  # Django's redirect from an object's bare URL to its change page
            regex = pattern.pattern.regex
            if regex.groupindex:
                kwargs = dict.fromkeys(regex.groupindex, "1")
                urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
            else:
                urls.append(reverse(f"admin:{pattern.name}", args=["1"] * regex.groups))
    return sorted(set(urls))


def test_the_registry_walk_finds_the_officers_pages():
    urls = _admin_pages()
    for name in ["budgets_round_export", "proposals_proposal_export", "accounts_user_changelist"]:
        assert reverse(f"admin:{name}") in urls
    assert reverse("admin:budgets_round_change", args=["1"]) in urls
    assert reverse("admin:voting_votercodebatch_letters_pdf", args=["1"]) in urls
    assert len(urls) >= 6 * len(admin.site._registry)


def test_anchor_staff_get_a_plain_403_on_every_officers_admin_page(client, hub):
    sam = with_two_factor(UserFactory(email="sam@hub.test", is_staff=True))
    hub.staff.add(sam)
    client.force_login(sam)
    wrong = []
    for url in _admin_pages():
        for response in (client.get(url), client.post(url, {})):
            page = response.content.decode()
            if response.status_code != 403 or "You cannot see this page" not in page:
                wrong.append(f"{response.request['REQUEST_METHOD']} {url}: {response.status_code}")
            elif "<main" not in page:
                wrong.append(f"{url}: a 403 without the site's landmarks")
    assert wrong == []


def test_an_officer_still_gets_in(officer_client):
    assert officer_client.get(reverse("admin:index")).status_code == 200
    assert officer_client.get(reverse("admin:budgets_round_export")).status_code == 200


def test_anchor_staff_may_still_sign_out_there(client, hub):
    sam = with_two_factor(UserFactory(email="sam@hub.test", is_staff=True))
    hub.staff.add(sam)
    client.force_login(sam)
    client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in client.session


def test_the_invitation_message_names_the_address(officer_client, hub):
    # Found by a trial: "An invitation is on its way to ." (the address was missing).
    response = _invite(officer_client, hub, email="ffion@hub.test")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "An invitation is on its way to ffion@hub.test." in messages


def test_anchor_staff_are_not_offered_the_officers_area(hub, officer_client):
    # Found by a trial: the header's "Officers' area" led anchor staff to an empty admin.
    from django.test import Client

    sam = with_two_factor(UserFactory(email="sam@hub.test", is_staff=True))
    hub.staff.add(sam)
    tablet = Client()
    tablet.force_login(sam)
    assert 'href="/admin/"' not in tablet.get("/").content.decode()
    assert 'href="/admin/"' in officer_client.get("/").content.decode()
