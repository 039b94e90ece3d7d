from django.urls import path

from budgets import views

urlpatterns = [
    path("rounds/<int:round_id>/", views.round_detail, name="budgets-round"),
]
