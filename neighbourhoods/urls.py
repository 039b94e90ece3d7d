from django.urls import path

from neighbourhoods import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("neighbourhoods/mine/", views.neighbourhood_mine, name="neighbourhoods-mine"),
    # /neighbourhoods/<council>/<neighbourhood>/
    path(
        "neighbourhoods/<slug:council_slug>/<slug:slug>/",
        views.neighbourhood_detail,
        name="neighbourhoods-detail",
    ),
]
