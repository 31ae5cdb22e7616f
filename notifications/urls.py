"""Mounted at /<lang>/workspace/notifications/ by itu_rbm/urls.py."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [path("", views.preferences, name="preferences")]
