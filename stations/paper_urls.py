from django.urls import path

from stations import paper_views

urlpatterns = [
    # /stations/paper/: anchor staff and officers key paper ballots, twice
    path("stations/paper/", paper_views.batch_list, name="stations-paper-list"),
    path("stations/paper/new/", paper_views.batch_new, name="stations-paper-new"),
    path("stations/paper/<int:batch_id>/key/", paper_views.batch_key, name="stations-paper-key"),
    path(
        "stations/paper/<int:batch_id>/decide/",
        paper_views.batch_resolve,
        name="stations-paper-resolve",
    ),
    path(
        "stations/paper/ballot/<int:envelope_id>/",
        paper_views.ballot_pdf,
        name="stations-paper-pdf",
    ),
    path(
        "kiosk/staff/paper-ballot/<int:envelope_id>/",
        paper_views.kiosk_ballot_pdf,
        name="stations-kiosk-paper-pdf",
    ),
]
