"""URL module (namespace "engagements"); the helper owning it fills urlpatterns."""

app_name = "engagements"
urlpatterns: list = []
