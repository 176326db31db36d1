"""Stable URLs of the exhibition that do not follow page slugs: calendar feeds (calendar
apps keep subscribing to them for years) and the booker's signed visit link."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/exhibition-stops.ics", views.calendar_all, name="calendar_all"),
    path("calendar/exhibition/<int:pk>.ics", views.calendar_exhibition, name="calendar_exhibition"),
    path("calendar/region/<str:iso_code>.ics", views.calendar_region, name="calendar_region"),
    path("calendar/settlement/<int:pk>.ics", views.calendar_settlement, name="calendar_settlement"),
    path("visits/<str:token>/", views.visit_detail, name="visit_detail"),
]
