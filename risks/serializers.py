"""Strategic risks and their mitigations as the API shows them (texts in the active language)."""

from rest_framework import serializers

from .models import Mitigation, Risk


class MitigationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mitigation
        fields = ["order", "strategy", "text"]


class RiskSerializer(serializers.ModelSerializer):
    mitigations = MitigationSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = ["number", "title", "description", "mitigations"]
