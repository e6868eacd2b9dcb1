from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import event_label
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never edited or deleted."""

    list_display = ["created_at", "event_type", "event", "subject_label", "actor"]
    list_filter = ["event_type"]
    search_fields = ["subject_label"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("event"))
    def event(self, obj):
        return event_label(obj.event_type)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
