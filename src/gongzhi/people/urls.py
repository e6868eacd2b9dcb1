from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("roles/<id:pk>/end/", views.role_end, name="role_end"),
    path("claim/", views.claim, name="claim"),
    path("claim/confirm/", views.claim_confirm, name="claim_confirm"),
    path("activate/", views.activate, name="activate"),
    path("activate/confirm/", views.activate_confirm, name="activate_confirm"),
    path("in-person/", views.in_person, name="in_person"),
    path("in-person/units/<id:unit_pk>/link/", views.in_person_link, name="in_person_link"),
    path("letters/", views.letters, name="letters"),
]
