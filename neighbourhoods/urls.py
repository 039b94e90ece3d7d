from django.urls import path

from neighbourhoods import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("neighbourhoods/mine/", views.neighbourhood_mine, name="neighbourhoods-mine"),
    # A neighbourhood's own page lists its envelopes, so budgets serves it (budgets/urls.py).
]
