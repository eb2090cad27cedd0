"""Pages of the 総合事業 (/programs/): the catalog, program instances and the report."""

from django.urls import path

from tsunagu.programs.catalog import views as catalog_views
from tsunagu.programs.instances import views as instance_views

app_name = "programs"

urlpatterns = [
    path("catalog/", catalog_views.catalog_list, name="catalog"),
    path("catalog/<slug:code>/", catalog_views.catalog_type, name="catalog-type"),
    path("", instance_views.instance_list, name="instance-list"),
    path("new/", instance_views.instance_create, name="instance-create"),
    path("<int:pk>/", instance_views.instance_detail, name="instance-detail"),
    path("<int:pk>/edit/", instance_views.instance_edit, name="instance-edit"),
    path("<int:pk>/history/", instance_views.instance_history, name="instance-history"),
    path("<int:pk>/enrol/", instance_views.enrol, name="enrol"),
    path("<int:pk>/counts/new/", instance_views.count_record, name="count-record"),
    path("enrolments/<int:pk>/end/", instance_views.enrolment_end, name="enrolment-end"),
    path("report/participation/", instance_views.participation_report, name="participation"),
    path(
        "report/participation.xlsx",
        instance_views.participation_export,
        name="participation-export",
    ),
]
