from django.urls import path

from jmu_planner.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("count/", views.InboxCountView.as_view(), name="inbox-count"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="notification-open"),
]
