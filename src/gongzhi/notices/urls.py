from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.board, name="board"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/notice.pdf", views.pdf, name="pdf"),
    path("<id:pk>/files/<id:attachment_pk>/", views.attachment, name="attachment"),
    path("<id:pk>/act/<str:action>/", views.act, name="act"),
    path("revenue/", views.revenue, name="revenue"),
    path("revenue/<id:pk>/", views.statement, name="statement"),
]
