from django.contrib import admin

from jmu_planner import script
from jmu_planner.models import KeptTerm


@admin.register(KeptTerm)
class KeptTermAdmin(admin.ModelAdmin):
    list_display = ["term", "note"]
    search_fields = ["term", "note"]

    # Pages read the register from the cache: a change is seen on the next page.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        script.forget_kept_terms()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        script.forget_kept_terms()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        script.forget_kept_terms()
