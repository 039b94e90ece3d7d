from django.urls import path

from voting.results import views

urlpatterns = [
    path("results/", views.results_index, name="voting-results-index"),
    # /envelopes/<id>/results/
    path("envelopes/<int:envelope_id>/results/", views.envelope_results, name="voting-results"),
    path(
        "envelopes/<int:envelope_id>/results/ballots.pb",
        views.envelope_ballots_pb,
        name="voting-results-pb",
    ),
    path(
        "envelopes/<int:envelope_id>/results/ballots.csv",
        views.envelope_ballots_csv,
        name="voting-results-csv",
    ),
    path("results/counting-program.zip", views.counting_program_zip, name="voting-counting-zip"),
    path("results/counting-program/", views.counting_source, name="voting-counting-source"),
    path(
        "results/counting-program/<path:name>",
        views.counting_source_file,
        name="voting-counting-source-file",
    ),
    # /rounds/<id>/results/
    path("rounds/<int:round_id>/results/", views.round_results, name="voting-round-results"),
]
