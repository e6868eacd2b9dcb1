"""Open311 GeoReport v2, mounted at ``/open311/v2/``."""

from django.urls import path

from . import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.services, name="services"),
    path("services/<slug:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<id:pk>.json", open311.request_detail, name="request"),
]
