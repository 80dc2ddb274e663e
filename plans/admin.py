from django.contrib import admin

from plans.models import FundingSource, ThematicArea


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name_en", "name_sr"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sr", "share", "position"]
    list_editable = ["position"]
