"""Referral pages, mounted under ``care/referrals/`` by the care plugin (namespace
``care_referrals``; mounted before ``care/``)."""

from django.urls import path

from tsunagu.care.referrals import views

app_name = "care_referrals"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/<int:resident_id>/", views.referral_create, name="referral_create"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<int:referral_id>/history/", views.referral_history, name="referral_history"),
    path("<int:referral_id>/send/", views.referral_send, name="referral_send"),
    path("<int:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("<int:referral_id>/decline/", views.referral_decline, name="referral_decline"),
    path("<int:referral_id>/start/", views.referral_start, name="referral_start"),
    path("<int:referral_id>/end/", views.referral_end, name="referral_end"),
    path("<int:referral_id>/stop/", views.referral_stop, name="referral_stop"),
    # The receiving organisation's inbox (a 通いの場 leader on a phone).
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:referral_id>/accept/", views.inbox_accept, name="inbox_accept"),
    path("inbox/<int:referral_id>/came/", views.inbox_came, name="inbox_came"),
    path("inbox/<int:referral_id>/decline/", views.inbox_decline, name="inbox_decline"),
]
