from django.urls import path

from . import views_jobs

app_name = "core"

urlpatterns = [
    path("jobs/", views_jobs.job_list, name="jobs"),
    path("jobs/<id:pk>/", views_jobs.job_detail, name="job"),
    path("jobs/<id:pk>/download/", views_jobs.job_download, name="job_download"),
]
