from django.urls import path

from tsunagu.continuity.contacts import views as contacts
from tsunagu.continuity.handover import views as handover
from tsunagu.continuity.stale import views as stale
from tsunagu.continuity.stewardship import views as stewardship
from tsunagu.continuity.timeline import views as timeline

app_name = "continuity"

urlpatterns = [
    path("mine/", stewardship.my_responsibilities, name="mine"),
    path("stewards/<int:type_id>/<int:object_id>/", stewardship.steward_edit, name="steward_edit"),
    path("timeline/<int:type_id>/<int:object_id>/", timeline.timeline, name="timeline"),
    path("stale/", stale.stale_digest, name="stale"),
    path("dependency/", stale.dependency, name="dependency"),
    path("contacts/new/", contacts.interaction_new, name="interaction_new"),
    path("handovers/", handover.handover_list, name="handover_list"),
    path("handovers/new/", handover.handover_start, name="handover_start"),
    path("handovers/<int:pk>/", handover.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/complete/", handover.handover_complete, name="handover_complete"),
    path("handovers/<int:pk>/cancel/", handover.handover_cancel, name="handover_cancel"),
]
