from django.urls import path

from budgets import views

urlpatterns = [
    path("rounds/<int:round_id>/", views.round_detail, name="budgets-round"),
    # /neighbourhoods/<council>/<neighbourhood>/
    path(
        "neighbourhoods/<slug:council_slug>/<slug:slug>/",
        views.neighbourhood_detail,
        name="neighbourhoods-detail",
    ),
]
