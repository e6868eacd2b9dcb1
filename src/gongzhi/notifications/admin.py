from django.contrib import admin

from .models import Delivery, Notification


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read-only."""

    list_display = ["created_at", "channel", "status", "attempts", "event_key", "last_error"]
    list_filter = ["channel", "status"]
    search_fields = ["event_key"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
