from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("lsgs/", views.LSGListView.as_view(), name="lsg-list"),
    path("lsgs/<int:pk>/", views.LSGDetailView.as_view(), name="lsg-detail"),
    path("lsgs/<int:pk>/edit/", views.LSGUpdateView.as_view(), name="lsg-update"),
    path("lsgs/<int:lsg_pk>/jmus/new/", views.JMUCreateView.as_view(), name="jmu-create"),
    path("jmus/<int:pk>/edit/", views.JMUUpdateView.as_view(), name="jmu-update"),
    path(
        "jmus/<int:jmu_pk>/members/new/",
        views.MembershipCreateView.as_view(),
        name="membership-create",
    ),
    path("memberships/<int:pk>/edit/", views.MembershipUpdateView.as_view(), name="membership-update"),
    path(
        "lsgs/<int:lsg_pk>/settlements/new/",
        views.SettlementCreateView.as_view(),
        name="settlement-create",
    ),
    path("settlements/<int:pk>/edit/", views.SettlementUpdateView.as_view(), name="settlement-update"),
    path(
        "lsgs/<int:lsg_pk>/institutions/new/",
        views.InstitutionCreateView.as_view(),
        name="institution-create",
    ),
    path(
        "institutions/<int:pk>/edit/",
        views.InstitutionUpdateView.as_view(),
        name="institution-update",
    ),
]
