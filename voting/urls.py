from django.urls import path

from voting import views

urlpatterns = [
    # /envelopes/<id>/vote/
    path("envelopes/<int:envelope_id>/vote/", views.ballot, name="voting-ballot"),
    path("envelopes/<int:envelope_id>/vote/check/", views.check, name="voting-check"),
    path("envelopes/<int:envelope_id>/vote/meter/", views.budget_meter, name="voting-meter"),
    path("envelopes/<int:envelope_id>/vote/receipt/", views.receipt, name="voting-receipt"),
    path("envelopes/<int:envelope_id>/vote/code/", views.voter_code, name="voting-code"),
]
