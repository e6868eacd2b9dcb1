from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = [
        "role",
        "sub_district",
        "neighbourhood",
        "compound",
        "owner",
        "company",
        "organisation",
        "term_ends_on",
        "ended_at",
    ]
    raw_id_fields = ["owner"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Gongzhi"), {"fields": ("display_name", "phone")}),
    )
    list_display = ["username", "display_name", "is_staff", "is_active"]
    inlines = [MembershipInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
