"""URL module (namespace "mobility"); the helper owning it fills urlpatterns."""

app_name = "mobility"
urlpatterns: list = []
