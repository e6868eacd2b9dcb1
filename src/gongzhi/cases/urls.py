from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/public/", views.public, name="public"),
    path("<id:pk>/act/<str:action>/", views.act, name="act"),
    path("<id:pk>/opinions/<id:opinion_pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<id:pk>/opinions/<id:opinion_pk>/file/", views.opinion_file, name="opinion_file"),
    path("<id:pk>/meetings.ics", views.case_calendar, name="calendar"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<id:pk>/", views.meeting, name="meeting"),
    path("meetings/<id:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<id:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(
        "meetings/<id:pk>/items/<id:item_pk>/close/",
        views.action_item_close,
        name="action_item_close",
    ),
    path("meetings/<id:pk>/meeting.ics", views.meeting_calendar, name="meeting_calendar"),
]
