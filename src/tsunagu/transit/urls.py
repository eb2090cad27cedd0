"""URL module (namespace "transit"); the helper owning it fills urlpatterns."""

app_name = "transit"
urlpatterns: list = []
