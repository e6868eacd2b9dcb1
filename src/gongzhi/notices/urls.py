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
    # one view per action
    path("<id:pk>/act/opinion/", views.opinion_leave, name="opinion_leave"),
    path("<id:pk>/act/publish/", views.notice_publish, name="publish"),
    path("<id:pk>/act/withdraw/", views.notice_withdraw, name="withdraw"),
    path("<id:pk>/act/answer/", views.opinion_answer, name="opinion_answer"),
    path("revenue/", views.revenue, name="revenue"),
    path("revenue/<id:pk>/", views.statement, name="statement"),
]
