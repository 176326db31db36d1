"""Stable URLs of the exhibition that do not follow page slugs: calendar feeds (calendar
apps keep subscribing to them for years), one per language (included under /kk/, /ru/,
/en/ by catalog.urls). The booker's signed visit link is in catalog.urls, outside the
language prefixes."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/exhibition-stops.ics", views.calendar_all, name="calendar_all"),
    path("calendar/exhibition/<int:pk>.ics", views.calendar_exhibition, name="calendar_exhibition"),
    path("calendar/region/<str:iso_code>.ics", views.calendar_region, name="calendar_region"),
    path("calendar/settlement/<int:pk>.ics", views.calendar_settlement, name="calendar_settlement"),
]
