from django.contrib import admin

from .models import PoolEntry, ProviderPool


class PoolEntryInline(admin.TabularInline):
    model = PoolEntry
    extra = 0


@admin.register(ProviderPool)
class ProviderPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    inlines = [PoolEntryInline]
