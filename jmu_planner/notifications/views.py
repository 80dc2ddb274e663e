"""The inbox: the user's own notifications, nobody else's (another's is a 404)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from jmu_planner.notifications.models import Notification


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)

    def post(self, request):
        Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("notifications:inbox"))


class InboxCountView(LoginRequiredMixin, View):
    """htmx: the unread count beside the bell."""

    def get(self, request):
        count = Notification.objects.for_user(request.user).unread().count()
        if not count:
            return HttpResponse("")
        return HttpResponse(f'<span class="badge rounded-pill text-bg-danger">{count}</span>')


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow a notification's link and mark it read."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        url = notification.url
        if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            url = reverse("notifications:inbox")
        return HttpResponseRedirect(url)
