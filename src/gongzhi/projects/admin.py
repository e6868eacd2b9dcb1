from django.contrib import admin

from .models import Milestone, Project, ProjectItem


class ItemInline(admin.TabularInline):
    model = ProjectItem
    extra = 0
    fields = ("title", "status", "progress", "weight", "budget_fen", "spent_fen")
    readonly_fields = ("progress",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "sub_district", "starts_on", "ends_on", "published")
    list_filter = ("published", "sub_district")
    inlines = [ItemInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "item", "on", "progress")
    readonly_fields = ("item", "title", "on", "progress", "note", "recorded_by")
