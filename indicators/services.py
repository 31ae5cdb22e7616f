"""The review workflow of reported figures: draft → submitted → approved, or submitted →
returned (with the reviewer's comment) → submitted again. Nothing else is allowed."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks import roles

from .models import Observation

Status = Observation.Status

TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


class WorkflowError(Exception):
    """A transition that the workflow or the user's role does not allow; the message says why."""


def check_transition(observation: Observation, new_status: str) -> None:
    current = Status(observation.status)
    if Status(new_status) not in TRANSITIONS[current]:
        raise WorkflowError(
            _("A figure that is %(current)s cannot become %(new)s.")
            % {"current": current.label.lower(), "new": Status(new_status).label.lower()}
        )


def _transition(observation, new_status, *, user, comment="", reason):
    check_transition(observation, new_status)
    now = timezone.now()
    observation.status = new_status
    observation.version += 1
    if new_status == Status.SUBMITTED:
        observation.submitted_at = now
        observation.reported_by = observation.reported_by or user
    else:
        observation.reviewed_by = user
        observation.reviewed_at = now
        observation.review_comment = comment
    observation._change_reason = reason  # recorded in the history by django-simple-history
    observation.save()
    return observation


def observation_submit(*, observation: Observation, user) -> Observation:
    if not roles.can_report(user, observation.indicator):
        raise WorkflowError(_("You may not report figures for this indicator's sector."))
    return _transition(observation, Status.SUBMITTED, user=user, reason="submitted")


def observation_approve(*, observation: Observation, user, comment: str = "") -> Observation:
    if not roles.can_review(user, observation):
        raise WorkflowError(_("You may not review figures of this sector."))
    return _transition(observation, Status.APPROVED, user=user, comment=comment, reason="approved")


def observation_return(*, observation: Observation, user, comment: str) -> Observation:
    if not roles.can_review(user, observation):
        raise WorkflowError(_("You may not review figures of this sector."))
    if not comment.strip():
        raise WorkflowError(_("Say why the figure is returned: a comment is required."))
    return _transition(observation, Status.RETURNED, user=user, comment=comment, reason="returned")


def observations_review(
    *, observations: Iterable[Observation], user, approve: bool, comment: str = ""
) -> int:
    """Approve or return several figures at once: all of them, or none if one is refused."""
    action = observation_approve if approve else observation_return
    with transaction.atomic():
        count = 0
        for observation in observations:
            action(observation=observation, user=user, comment=comment)
            count += 1
    return count
