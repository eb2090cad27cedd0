"""Pages of plans (計画), role agreements (目指す姿と役割分担) and PDCA, under /plans/."""

from django.urls import path

from tsunagu.plans.agreements import views as agreements
from tsunagu.plans.pdca import views as pdca
from tsunagu.plans.records import views as records

app_name = "plans"

urlpatterns = [
    path("", records.plan_list, name="list"),
    path("new/", records.plan_create, name="plan_create"),
    path("<int:pk>/", records.plan_detail, name="plan"),
    path("<int:pk>/edit/", records.plan_edit, name="plan_edit"),
    path("<int:pk>/history/", records.plan_history, name="plan_history"),
    path("<int:pk>/items/new/", records.item_add, name="item_add"),
    path("items/<int:pk>/edit/", records.item_edit, name="item_edit"),
    path("items/<int:pk>/links/new/", records.link_add, name="link_add"),
    path("links/<int:pk>/remove/", records.link_remove, name="link_remove"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/print/", agreements.agreement_print, name="agreement_print"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/history/", agreements.agreement_history, name="agreement_history"),
    path("agreements/<int:pk>/roles/new/", agreements.role_add, name="role_add"),
    path("agreements/agreed-roles/<int:pk>/remove/", agreements.role_remove, name="role_remove"),
    path("agreements/<int:pk>/reviews/new/", agreements.review_add, name="review_add"),
    path("pdca/", pdca.pdca_list, name="pdca_list"),
    path("pdca/new/", pdca.pdca_create, name="pdca_create"),
    path("pdca/<int:pk>/", pdca.pdca_detail, name="pdca"),
    path("pdca/<int:pk>/edit/", pdca.pdca_edit, name="pdca_edit"),
    path("pdca/<int:pk>/carry/", pdca.pdca_carry, name="pdca_carry"),
    path("pdca/<int:pk>/history/", pdca.pdca_history, name="pdca_history"),
]
