"""/workspace/notifications/: each user chooses how often and in which language they are told."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workspace.plan_views import role_required

from .models import NotificationPreference
from .services import preference_of


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency", "language"]
        widgets = {"frequency": forms.RadioSelect}


@require_http_methods(["GET", "HEAD", "POST"])
@role_required()
def preferences(request):
    preference = preference_of(request.user)
    if preference.pk is None:  # the default, not stored yet
        preference = NotificationPreference(
            user=request.user, frequency=preference.frequency, language=preference.language
        )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "email": request.user.email, "section": "notifications"}
    return render(
        request, "notifications/preferences.html", context, status=400 if form.errors else 200
    )
