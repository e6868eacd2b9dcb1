from django.urls import path

from . import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report, name="report"),
    path("board/", views.kanban, name="board"),
    path("assign/", views.assign_many, name="assign_many"),
    path("mine/", views.assigned_to_me, name="assigned"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/me-too/", views.me_too, name="me_too"),
    path("<id:pk>/accept/", views.accept, name="accept"),
    path("<id:pk>/assign/", views.assign, name="assign"),
    path("<id:pk>/start/", views.start, name="start"),
    path("<id:pk>/defer/", views.defer, name="defer"),
    path("<id:pk>/resume/", views.resume, name="resume"),
    path("<id:pk>/resolve/", views.resolve, name="resolve"),
    path("<id:pk>/close/", views.close, name="close"),
    path("<id:pk>/reopen/", views.reopen, name="reopen"),
    path("<id:pk>/return/", views.return_, name="return"),
    path("<id:pk>/transfer/", views.transfer, name="transfer"),
    path("<id:pk>/feedback/", views.feedback, name="feedback"),
    path("<id:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<id:pk>/quality/", views.quality, name="quality"),
    path("<id:pk>/photos/", views.photos, name="photos"),
    path("<id:pk>/photos/<id:photo_pk>/", views.photo, name="photo"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<id:pk>/", views.incident, name="incident"),
    path("incidents/<id:pk>/end/", views.incident_end, name="incident_end"),
    path("assets/", views.assets, name="assets"),
    path("assets/<id:pk>/", views.asset, name="asset"),
    path("public/", views.public, name="public"),
    path("public/<id:pk>/", views.public_compound, name="public_compound"),
]
