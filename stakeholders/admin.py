from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from stakeholders.forms import LSGForm
from stakeholders.models import (
    JMU,
    LSG,
    District,
    Engagement,
    ExpertContract,
    Institution,
    InstitutionType,
    JMUMembership,
    LAPMeasure,
    MemberRole,
    PolicyDocument,
    Recommendation,
    RoleAssignment,
    Settlement,
    User,
)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["lsg"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("JMU Planner"), {"fields": ["global_role", "language"]}))
    list_display = ["username", "first_name", "last_name", "email", "global_role", "is_active"]
    list_filter = ["global_role", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name_lat", "name_cyr", "code", "region"]
    search_fields = ["name_lat", "name_cyr"]


@admin.register(LSG)
class LSGAdmin(SimpleHistoryAdmin):
    form = LSGForm
    list_display = ["name_lat", "name_cyr", "code", "type", "district", "development_level"]
    list_filter = ["type", "district", "development_level"]
    search_fields = ["name_lat", "name_cyr", "code"]


class MembershipInline(admin.TabularInline):
    model = JMUMembership
    extra = 0


@admin.register(JMU)
class JMUAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "lsg", "decision_number", "decision_date", "status"]
    list_filter = ["status", "founding_body"]
    search_fields = ["name", "lsg__name_lat", "lsg__name_cyr"]
    list_select_related = ["lsg"]
    autocomplete_fields = ["lsg"]
    inlines = [MembershipInline]


@admin.register(JMUMembership)
class JMUMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person_name", "role", "jmu", "institution", "since", "until"]
    list_filter = ["role"]
    search_fields = ["person_name", "jmu__lsg__name_lat"]
    list_select_related = ["role", "jmu__lsg", "institution"]


@admin.register(Settlement)
class SettlementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lsg", "kind", "households", "people"]
    list_filter = ["kind"]
    search_fields = ["name", "lsg__name_lat"]
    list_select_related = ["lsg"]
    autocomplete_fields = ["lsg"]


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "lsg"]
    list_filter = ["type"]
    search_fields = ["name", "lsg__name_lat"]
    list_select_related = ["lsg", "type"]
    autocomplete_fields = ["lsg"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "lsg", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "lsg__name_lat"]
    list_select_related = ["user", "lsg"]
    autocomplete_fields = ["user", "lsg"]


@admin.register(MemberRole, InstitutionType)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sr", "position"]
    list_editable = ["position"]


# The experts' work: contracts are entered here by the programme's staff; the rest is kept in the
# application's own pages and listed here for administrators.
@admin.register(ExpertContract)
class ExpertContractAdmin(admin.ModelAdmin):
    list_display = ["title", "expert", "days_contracted", "period_start", "period_end"]
    autocomplete_fields = ["expert"]
    search_fields = ["title", "expert__username", "expert__last_name"]


class LAPMeasureInline(admin.TabularInline):
    model = LAPMeasure
    extra = 1


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "lsg", "kind", "period_start", "period_end"]
    list_filter = ["kind"]
    autocomplete_fields = ["lsg"]
    inlines = [LAPMeasureInline]


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "type", "date", "held"]
    list_filter = ["type", "held"]
    filter_horizontal = ["lsgs"]
    search_fields = ["title"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "lsg", "status"]
    list_filter = ["status"]
    raw_id_fields = ["engagement", "measures"]
    autocomplete_fields = ["lsg"]
