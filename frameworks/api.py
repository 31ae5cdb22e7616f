from django.http import Http404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from itu_rbm.api import ORJSONRenderer, request_language

from .models import StrategicPlan
from .tree import build_plan_tree


def visible_plan_or_404(request, code: str) -> StrategicPlan:
    """The plan with this code, if the requester may see it (drafts are for staff)."""
    plan = StrategicPlan.objects.visible_to(request.user).filter(code=code).first()
    if plan is None:
        raise Http404(f"No plan with the code {code!r}.")
    return plan


@extend_schema(
    summary="The whole plan as one document",
    parameters=[
        OpenApiParameter("lang", OpenApiTypes.STR, description="ar, en, es, fr, ru or zh-hans")
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([AllowAny])
@renderer_classes([ORJSONRenderer])
def plan_tree(request, plan):
    plan = visible_plan_or_404(request, plan)
    language = request_language(request)
    with translation.override(language):
        tree = build_plan_tree(plan)
    return Response(tree, headers={"Content-Language": language})
