from django.contrib import admin

from .models import Asset, Category, DeadlinePolicy, Incident, Open311Key, ServiceRequest


class SuperuserOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Category)
class CategoryAdmin(SuperuserOnly):
    list_display = ["name", "code", "sub_district", "party", "active"]
    list_filter = ["sub_district", "party"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(SuperuserOnly):
    list_display = ["sub_district", "category", "urgency", "response_minutes", "resolve_minutes"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(SuperuserOnly):
    list_display = ["pk", "compound", "category", "status", "party", "created_at"]
    list_filter = ["status", "party", "category"]
    readonly_fields = [f.name for f in ServiceRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(SuperuserOnly):
    list_display = ["name", "kind", "compound", "building", "in_service", "monitoring_installed_on"]
    list_filter = ["kind", "in_service"]


@admin.register(Incident)
class IncidentAdmin(SuperuserOnly):
    list_display = ["title", "compound", "building", "started_at", "ended_at"]


@admin.register(Open311Key)
class Open311KeyAdmin(SuperuserOnly):
    list_display = ["name", "sub_district", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at"]
