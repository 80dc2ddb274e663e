"""The exports page and its downloads: CSV (streamed) and XLSX across the LSGs a user can see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from jmu_planner.db import ScriptOrder
from jmu_planner.filters import YearField
from reporting import exports, monitoring
from stakeholders.models import LSG, District


class SelectionForm(forms.Form):
    """Year and district; the districts offered are those of the LSGs the user may see."""

    year = YearField(label=_("Year"), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = LSG.objects.visible_to(user).values("district")
        self.fields["district"].queryset = District.objects.filter(pk__in=visible).order_by(
            ScriptOrder("name_lat", "name_cyr")
        )

    def selection(self) -> monitoring.Selection:
        """The valid choices; an invalid one selects nothing rather than everything."""
        if not self.is_valid():
            raise Http404(_("This year or district cannot be exported."))
        district = self.cleaned_data.get("district")
        return monitoring.Selection(
            year=self.cleaned_data.get("year"), district_id=district.pk if district else None
        )


class ExportListView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/exports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SelectionForm(self.request.GET or None, user=self.request.user)
        context.update(
            form=form,
            datasets=exports.DATASETS.values(),
            query=self.request.GET.urlencode() if form.is_bound and form.is_valid() else "",
        )
        return context


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
        found = exports.DATASETS.get(dataset)
        if found is None or fmt not in ("csv", "xlsx"):
            raise Http404
        selection = SelectionForm(request.GET, user=request.user).selection()
        if fmt == "csv":
            return exports.csv_response(found, user=request.user, selection=selection)
        return exports.xlsx_download(found, user=request.user, selection=selection)
