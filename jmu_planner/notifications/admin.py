from django.contrib import admin

from jmu_planner.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["event", ("emailed_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at"]
