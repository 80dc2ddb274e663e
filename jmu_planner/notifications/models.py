"""What happened, for whom: an inbox row per recipient that is also the e-mail outbox.

A notification stores the event and its parameters, not a sentence: the text is rendered when it
is shown or e-mailed, in the reader's language (`render`). A row stays pending (`emailed_at`
empty) until a send succeeds, and failures are counted and kept. A sender claims the row
(`email_claimed_at`, committed) before it talks to the mail server and records the outcome after:
a claimed row is never sent again, so nobody gets an e-mail twice (delivery.notification_email).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jmu_planner.notifications.events import render

# A claim older than this whose outcome was never recorded: the sender died mid-send.
EMAIL_CLAIM_STALE_AFTER = datetime.timedelta(minutes=15)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def pending_email(self) -> NotificationQuerySet:
        """Not sent, and nobody is sending it (or was, and may have: see `delivery`)."""
        return self.filter(emailed_at__isnull=True, email_skipped=False, email_claimed_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_skipped = models.BooleanField(_("no e-mail address"), default=False)
    email_claimed_at = models.DateTimeField(_("e-mail being sent since"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return render(self.event, self.params)

    @property
    def delivery(self) -> str:
        if self.emailed_at:
            return "sent"
        if self.email_skipped:
            return "none"
        if self.email_claimed_at:
            # A sender stopped between claiming the row and recording the outcome: the e-mail may
            # have left. It is not sent again (twice would be worse); the inbox says so.
            stale = self.email_claimed_at < timezone.now() - EMAIL_CLAIM_STALE_AFTER
            return "uncertain" if stale else "sending"
        return "failing" if self.email_attempts else "pending"
