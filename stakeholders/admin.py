from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from stakeholders import services
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


class KnownAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose chosen values' labels were read with the page (`known`), not one
    query per row."""

    def __init__(self, *args, known: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not all(v in self.known for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options += [self.create_option(name, v, self.known[v], True, i) for i, v in enumerate(chosen)]
        return [(None, options, 0)]


class MembershipInline(admin.TabularInline):
    """A JMU's members: the page's queries do not grow with them (stakeholders/tests): the
    institution is an autocomplete (not 1,352 options a row) labelled from one query, and the
    roles' short list is read once for all rows."""

    model = JMUMembership
    extra = 0
    autocomplete_fields = ["institution"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")  # each row's title names it

    def get_formset(self, request, obj=None, **kwargs):
        self.institution_labels = (
            {str(i.pk): str(i) for i in Institution.objects.filter(memberships__jmu=obj).distinct()}
            if obj is not None and obj.pk
            else {}
        )
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            kwargs["widget"] = KnownAutocompleteSelect(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                known=getattr(self, "institution_labels", {}),
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "role":
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = blank + [(r.pk, field.label_from_instance(r)) for r in field.queryset]
        return field


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
    list_display = ["name", "type", "lsg", "valid_from", "valid_until", "successor"]
    list_filter = ["type", ("lsg", admin.EmptyFieldListFilter)]
    search_fields = ["name", "lsg__name_lat"]
    list_select_related = ["lsg", "type", "successor"]
    autocomplete_fields = ["lsg", "successor"]
    actions = ["merge_bodies"]

    @admin.action(description=_("Merge the selected bodies into the one still in force"))
    def merge_bodies(self, request, queryset):
        """Bodies registered twice become one: the one with no end date keeps every reference."""
        bodies = list(queryset)
        in_force = [b for b in bodies if b.valid_until is None]
        if len(bodies) < 2 or len(in_force) != 1:
            self.message_user(
                request,
                _("Choose two or more bodies, exactly one of them still in force (no end date)."),
                level=messages.ERROR,
            )
            return
        try:
            services.institution_merge(keep=in_force[0], merged=bodies, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return
        self.message_user(request, _("Merged into “%(name)s”.") % {"name": in_force[0].name})


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
