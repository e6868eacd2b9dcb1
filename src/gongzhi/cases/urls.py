from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/public/", views.public, name="public"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("<int:pk>/opinions/<int:opinion_pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/opinions/<int:opinion_pk>/file/", views.opinion_file, name="opinion_file"),
    path("<int:pk>/meetings.ics", views.case_calendar, name="calendar"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_calendar, name="meeting_calendar"),
]
