"""URL module (namespace "transit_gap"); the helper owning it fills urlpatterns."""

app_name = "transit_gap"
urlpatterns: list = []
