"""URL module (namespace "mobility_legal"); the helper owning it fills urlpatterns."""

app_name = "mobility_legal"
urlpatterns: list = []
