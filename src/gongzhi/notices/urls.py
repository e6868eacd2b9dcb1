from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.board, name="board"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/notice.pdf", views.pdf, name="pdf"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("revenue/", views.revenue, name="revenue"),
    path("revenue/<int:pk>/", views.statement, name="statement"),
]
