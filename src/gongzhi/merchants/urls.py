from django.urls import path

from . import views

app_name = "merchants"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<id:pk>/", views.profile, name="profile"),
    path("<id:pk>/outdated/", views.outdated, name="outdated"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/invite/", views.invite, name="invite"),
    path("<id:pk>/photos/<id:photo_pk>/", views.photo, name="photo"),
    path("new/", views.new, name="new"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path(
        "certificates/<str:number>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"
    ),
    path(
        "certificates/<str:number>/<str:action>/",
        views.certificate_change,
        name="certificate_change",
    ),
    path("work/", views.work, name="work"),
    path("apply/", views.apply, name="apply"),
    path("applications/<id:pk>/", views.application, name="application"),
    path("applications/<id:pk>/panel/", views.panel, name="panel"),
    path("applications/<id:pk>/scores/", views.scores, name="scores"),
    path("applications/<id:pk>/decide/", views.decide, name="decide"),
    path("applications/<id:pk>/evidence/<id:file_pk>/", views.evidence, name="evidence"),
    path("reports/<id:pk>/resolve/", views.resolve, name="resolve"),
]
