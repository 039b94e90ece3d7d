from django.urls import path

from proposals import views

urlpatterns = [
    # /envelopes/<envelope>/proposals/
    path(
        "envelopes/<int:envelope_id>/proposals/",
        views.envelope_proposals,
        name="proposals-envelope",
    ),
    path(
        "envelopes/<int:envelope_id>/proposals/new/",
        views.proposal_create,
        name="proposals-create",
    ),
    path(
        "envelopes/<int:envelope_id>/proposals/new/for-a-resident/",
        views.proposal_create_on_behalf,
        name="proposals-create-on-behalf",
    ),
    # /proposals/
    path("proposals/mine/", views.proposals_mine, name="proposals-mine"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposals-detail"),
    path("proposals/<int:pk>/change/", views.proposal_edit, name="proposals-edit"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposals-submit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposals-withdraw"),
    path("proposals/<int:pk>/report/", views.proposal_report, name="proposals-report"),
]
