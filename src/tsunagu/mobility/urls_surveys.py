"""URL module (namespace "mobility_surveys"); the helper owning it fills urlpatterns."""

app_name = "mobility_surveys"
urlpatterns: list = []
