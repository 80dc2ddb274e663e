"""Registry pages. Objects come through scoped querysets: what a user may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters.views import FilterView

from jmu_planner import access
from jmu_planner.generic_views import ServiceFormView
from stakeholders import selectors, services
from stakeholders.filters import LSGFilter
from stakeholders.forms import (
    CoatOfArmsForm,
    InstitutionForm,
    JMUForm,
    LSGForm,
    MembershipForm,
    SettlementForm,
)
from stakeholders.models import JMU, LSG, Institution, JMUMembership, Settlement


class LSGListView(LoginRequiredMixin, FilterView):
    filterset_class = LSGFilter
    template_name = "stakeholders/lsg_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.lsg_list(user=self.request.user)


class LSGDetailView(LoginRequiredMixin, TemplateView):
    template_name = "stakeholders/lsg_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.lsg_page(user=self.request.user, pk=self.kwargs["pk"])
        return context


class RegistryFormView(ServiceFormView):
    """Create and edit pages of the registry share one template and return to the LSG page."""

    template_name = "stakeholders/form.html"
    heading = ""

    @staticmethod
    def lsg_of(row) -> LSG | None:
        """The LSG whose page the form returns to; None for a national body (no LSG of its own)."""
        if isinstance(row, LSG):
            return row
        return row.jmu.lsg if isinstance(row, JMUMembership) else row.lsg

    @classmethod
    def back_url(cls, row) -> str:
        lsg = cls.lsg_of(row)
        return reverse("stakeholders:lsg-detail", args=[lsg.pk]) if lsg else reverse("stakeholders:lsg-list")

    def get_success_url(self) -> str:
        return self.back_url(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        instance = context["form"].instance
        context.update(heading=self.heading, lsg=self.lsg_of(instance), cancel_url=self.back_url(instance))
        return context


def registry_row(user, rows, pk, action: str = "stakeholders.change_registry"):
    """A registry row the user may see (else 404) and change (else 403, saying why)."""
    row = get_object_or_404(rows.visible_to(user), pk=pk)
    access.require(user, action, row)
    return row


class EditableLSGMixin:
    """Create pages hang under an LSG: a 404 if the user may not see it, a 403 if not its coordinator."""

    @cached_property
    def lsg(self) -> LSG:
        return registry_row(self.request.user, LSG.objects, self.kwargs["lsg_pk"])


class LSGUpdateView(RegistryFormView):
    form_class = LSGForm
    heading = _("Edit LSG data")
    success_message = _("%(object)s saved.")

    @cached_property
    def lsg(self) -> LSG:
        return registry_row(self.request.user, LSG.objects, self.kwargs["pk"], "stakeholders.change_lsg")

    def build_instance(self) -> LSG:
        return self.lsg

    def perform(self, data):
        return services.lsg_update(lsg=self.lsg, actor=self.request.user, data=data)


class CoatOfArmsUpdateView(RegistryFormView):
    """The LSG's coordinator uploads its coat of arms (the rest of its record is the administrators')."""

    form_class = CoatOfArmsForm
    heading = _("Coat of arms for the documents")
    success_message = _("%(object)s saved.")

    @cached_property
    def lsg(self) -> LSG:
        return registry_row(self.request.user, LSG.objects, self.kwargs["pk"])

    def build_instance(self) -> LSG:
        return self.lsg

    def perform(self, data):
        return services.lsg_update(lsg=self.lsg, actor=self.request.user, data=data)


class JMUCreateView(EditableLSGMixin, RegistryFormView):
    form_class = JMUForm
    heading = _("Register the JMU")
    success_message = _("%(object)s registered.")

    def build_instance(self) -> JMU:
        return JMU(lsg=self.lsg)

    def perform(self, data):
        return services.jmu_create(lsg=self.lsg, actor=self.request.user, data=data)


class JMUUpdateView(RegistryFormView):
    form_class = JMUForm
    heading = _("Edit the JMU")
    success_message = _("%(object)s saved.")

    @cached_property
    def jmu(self) -> JMU:
        return registry_row(self.request.user, JMU.objects.select_related("lsg"), self.kwargs["pk"])

    def build_instance(self) -> JMU:
        return self.jmu

    def perform(self, data):
        return services.jmu_update(jmu=self.jmu, actor=self.request.user, data=data)


class MembershipCreateView(RegistryFormView):
    form_class = MembershipForm
    heading = _("Add a JMU member")
    success_message = _("%(object)s added to the JMU.")

    @cached_property
    def jmu(self) -> JMU:
        return registry_row(self.request.user, JMU.objects.select_related("lsg"), self.kwargs["jmu_pk"])

    def build_instance(self) -> JMUMembership:
        return JMUMembership(jmu=self.jmu)

    def perform(self, data):
        return services.membership_create(jmu=self.jmu, actor=self.request.user, data=data)


class MembershipUpdateView(RegistryFormView):
    form_class = MembershipForm
    heading = _("Edit a JMU member")
    success_message = _("%(object)s saved.")

    @cached_property
    def membership(self) -> JMUMembership:
        return registry_row(
            self.request.user, JMUMembership.objects.select_related("jmu__lsg"), self.kwargs["pk"]
        )

    def build_instance(self) -> JMUMembership:
        return self.membership

    def perform(self, data):
        return services.membership_update(membership=self.membership, actor=self.request.user, data=data)


class SettlementCreateView(EditableLSGMixin, RegistryFormView):
    form_class = SettlementForm
    heading = _("Add a Roma settlement")
    success_message = _("Settlement %(object)s added.")

    def build_instance(self) -> Settlement:
        return Settlement(lsg=self.lsg)

    def perform(self, data):
        return services.settlement_create(lsg=self.lsg, actor=self.request.user, data=data)


class SettlementUpdateView(RegistryFormView):
    form_class = SettlementForm
    heading = _("Edit a Roma settlement")
    success_message = _("Settlement %(object)s saved.")

    @cached_property
    def settlement(self) -> Settlement:
        return registry_row(self.request.user, Settlement.objects.select_related("lsg"), self.kwargs["pk"])

    def build_instance(self) -> Settlement:
        return self.settlement

    def perform(self, data):
        return services.settlement_update(settlement=self.settlement, actor=self.request.user, data=data)


class InstitutionCreateView(EditableLSGMixin, RegistryFormView):
    form_class = InstitutionForm
    heading = _("Add an institution")
    success_message = _("%(object)s added.")

    def build_instance(self) -> Institution:
        return Institution(lsg=self.lsg)

    def perform(self, data):
        return services.institution_create(lsg=self.lsg, actor=self.request.user, data=data)


class InstitutionUpdateView(RegistryFormView):
    form_class = InstitutionForm
    heading = _("Edit an institution")
    success_message = _("%(object)s saved.")

    @cached_property
    def institution(self) -> Institution:
        return registry_row(self.request.user, Institution.objects.select_related("lsg"), self.kwargs["pk"])

    def build_instance(self) -> Institution:
        return self.institution

    def perform(self, data):
        return services.institution_update(institution=self.institution, actor=self.request.user, data=data)
