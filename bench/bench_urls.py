"""The project's URLs and the baseline: a minimal Django view that inserts one row."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from gongzhi.core.models import AuditEvent, EventType
from gongzhi.urls import urlpatterns as project_urls


@csrf_exempt
def insert_one(request):
    AuditEvent.objects.create(event_type=EventType.COMPOUND_CREATED, subject_label="bench")
    return HttpResponse("ok")


urlpatterns = [path("bench/insert/", insert_one), *project_urls]
