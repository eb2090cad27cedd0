"""URL module (namespace "casesheets"); the helper owning it fills urlpatterns."""

app_name = "casesheets"
urlpatterns: list = []
