from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/links/", views.links, name="links"),
    path("<id:pk>/items/", views.item_add, name="item_add"),
    path("<id:pk>/items/<id:item_pk>/", views.item_edit, name="item_edit"),
    path("<id:pk>/items/<id:item_pk>/milestone/", views.milestone_add, name="milestone_add"),
    path("<id:pk>/items/<id:item_pk>/requests/", views.item_requests, name="item_requests"),
    path("<id:pk>/photos/<id:photo_pk>/", views.photo, name="photo"),
]
