from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from frameworks.models import StrategicPlan

from .content import ReportError, check_year
from .models import ReportFormat


class ReportRequestForm(forms.Form):
    """Which report to build: the plan's year is checked against the plan's period."""

    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=StrategicPlan.objects.none(), to_field_name="code"
    )
    year = forms.IntegerField(label=_("Reporting year"), min_value=1900, max_value=2200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = StrategicPlan.objects.visible_to(user).order_by(
            "-period_start"
        )

    def clean(self):
        data = super().clean()
        plan, year = data.get("plan"), data.get("year")
        if plan is not None and year is not None:
            try:
                check_year(plan, year)
            except ReportError as error:
                self.add_error("year", str(error))
        return data
