"""The back office shows owners' decisions read-only: they change only through the
services, and their records are never edited or deleted."""

from django.contrib import admin

from .models import (
    Ballot,
    BoxEvent,
    CountSession,
    Decision,
    Delivery,
    Evidence,
    LedgerEntry,
    Objection,
    PaperSheet,
    Reverification,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "opens_at", "closes_at", "neighbourhood"]
    list_filter = ["status"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["decision", "entry", "item", "channel", "state", "cast_at"]
    list_filter = ["channel", "state"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["decision", "sequence", "event", "created_at", "hash"]


for model in (Delivery, BoxEvent, CountSession, PaperSheet, Objection, Reverification, Evidence):
    admin.site.register(model, ReadOnlyAdmin)
