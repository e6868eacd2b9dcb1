from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.index, name="index"),
    path("agreements/<id:pk>/", views.agreement, name="agreement"),
    path("agreements/<id:pk>/document/", views.document, name="document"),
    path("events/<id:pk>/", views.event, name="event"),
    path("work/", views.work, name="work"),
    path("work/organisations/new/", views.organisation_new, name="organisation_new"),
    path("work/agreements/new/", views.agreement_new, name="agreement_new"),
    path("work/events/new/", views.event_new, name="event_new"),
    path("work/enterprises/new/", views.enterprise_new, name="enterprise_new"),
    path("agreements/<id:pk>/<str:step>/", views.agreement_step, name="step"),
    path("agreements/<id:pk>/commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<id:pk>/done/", views.commitment_done, name="commitment_done"),
    path("enterprises/<id:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<id:pk>/stage/", views.enterprise_stage, name="enterprise_stage"),
    path("enterprises/<id:pk>/services/new/", views.service_new, name="service_new"),
]
