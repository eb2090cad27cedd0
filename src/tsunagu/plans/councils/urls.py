from django.urls import path

from tsunagu.plans.councils import views

app_name = "councils"
urlpatterns = [
    path("<int:pk>/", views.councils_page, name="page"),
    path("<int:pk>/record/", views.formation_record, name="record"),
    path("areas/<int:pk>/key-persons/new/", views.key_person_add, name="key_person_add"),
]
