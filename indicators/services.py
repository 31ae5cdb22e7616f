"""The review workflow of reported figures: draft → submitted → approved, or submitted →
returned (with the reviewer's comment) → submitted again. Nothing else is allowed.

Reporting a figure (`observation_report`) and revising one (`observation_revise`) validate it with
indicators.validation.ObservationValidator, the import command's and the API's own rules."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks import roles
from frameworks.models import StrategicPlan

from .models import Observation
from .signals import announce_transition, announced_together
from .validation import FIELDS, ObservationValidator, Problem

Status = Observation.Status

TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


class WorkflowError(Exception):
    """A transition that the workflow or the user's role does not allow; the message says why."""


class InvalidFigure(WorkflowError):
    """A figure that is not valid; `problems` (indicators.validation.Problem) say why, by field."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def by_field(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        return errors


class StaleVersion(WorkflowError):
    """The figure changed since the version a change is based on; `current` is what is stored."""

    def __init__(self, current: Observation):
        self.current = current
        super().__init__(
            _(
                "Someone else changed this figure while you were editing it (version %(version)s "
                "is stored now). Compare, then save again."
            )
            % {"version": current.version}
        )


def check_transition(observation: Observation, new_status: str) -> None:
    current = Status(observation.status)
    if Status(new_status) not in TRANSITIONS[current]:
        raise WorkflowError(
            _("A figure that is %(current)s cannot become %(new)s.")
            % {"current": current.label.lower(), "new": Status(new_status).label.lower()}
        )


def _transition(observation, new_status, *, user, comment="", reason):
    check_transition(observation, new_status)
    old_status = observation.status
    now = timezone.now()
    observation.status = new_status
    observation.bump_version()
    if new_status == Status.SUBMITTED:
        observation.submitted_at = now
        observation.reported_by = observation.reported_by or user
    else:
        observation.reviewed_by = user
        observation.reviewed_at = now
        observation.review_comment = comment
    observation._change_reason = reason  # recorded in the history by django-simple-history
    observation._history_user = user  # also when there is no request (commands, tests)
    observation.save()
    announce_transition(observation, old_status=old_status, actor=user, comment=comment)
    return observation


def observation_submit(*, observation: Observation, user) -> Observation:
    if not roles.can_report(user, observation.indicator):
        raise WorkflowError(_("You may not report figures for this indicator's sector."))
    return _transition(observation, Status.SUBMITTED, user=user, reason="submitted")


def _check_reviewer(observation: Observation, user) -> None:
    if not roles.can_review(user, observation):
        raise WorkflowError(_("You may not review figures of this sector."))
    if observation.reported_by_id == user.pk and not roles.is_administrator(user):
        # four eyes: a figure is reviewed by somebody else than its reporter
        raise WorkflowError(_("You reported this figure: another reviewer must review it."))


def observation_approve(*, observation: Observation, user, comment: str = "") -> Observation:
    _check_reviewer(observation, user)
    return _transition(observation, Status.APPROVED, user=user, comment=comment, reason="approved")


def observation_return(*, observation: Observation, user, comment: str) -> Observation:
    _check_reviewer(observation, user)
    if not comment.strip():
        raise WorkflowError(_("Say why the figure is returned: a comment is required."))
    return _transition(observation, Status.RETURNED, user=user, comment=comment, reason="returned")


def observations_review(
    *, observations: Iterable[Observation], user, approve: bool, comment: str = ""
) -> int:
    """Approve or return several figures at once: all of them, or none if one is refused.

    Each figure is read again and locked (on PostgreSQL) before its transition, so that two
    reviewers acting at once cannot both move it; the objects passed in are not modified.
    """
    action = observation_approve if approve else observation_return
    # one announcement for the whole decision: each reporter is told once, not once per figure
    with transaction.atomic(), announced_together():
        pks = [observation.pk for observation in observations]
        locked = (
            Observation.objects.select_for_update()
            .select_related("indicator__sector")
            .filter(pk__in=pks)
            .order_by("pk")
            .in_bulk()
        )
        for pk in pks:
            if pk not in locked:
                raise WorkflowError(_("A figure of the selection no longer exists."))
            action(observation=locked[pk], user=user, comment=comment)
    return len(pks)


def observation_validate(*, plan: StrategicPlan, raw: dict, user, exclude_pk=None) -> dict:
    """`raw` (codes and text, as in an import file) checked by ObservationValidator, and the
    user's right to report for the indicator; the cleaned values hold model instances."""
    code = str(raw.get("indicator") or "").strip()
    validator = ObservationValidator(plan, existing_for=[code])
    indicator = validator.indicators.get(code)
    if indicator is not None and not roles.can_report(user, indicator):
        raise WorkflowError(
            _("You may not report figures for the indicators of %(sector)s.")
            % {"sector": indicator.sector.code}
        )
    cleaned, problems = validator.clean(
        {field: raw.get(field) for field in FIELDS}, None, exclude_pk=exclude_pk
    )
    if problems:
        raise InvalidFigure(problems)
    return cleaned


def _save_figure(observation: Observation, *, user, reason: str) -> Observation:
    observation._history_user = user
    observation._change_reason = reason
    try:
        with transaction.atomic():
            observation.save()
    except IntegrityError:  # stored by someone else between the check and the write
        raise InvalidFigure(
            [Problem(None, "edition", _("This figure already exists in this edition."), "exists")]
        ) from None
    return observation


def observation_report(
    *, plan: StrategicPlan, raw: dict, user, reason: str = "reported"
) -> Observation:
    """A new figure for one of the plan's indicators, submitted for review at once.

    Raises InvalidFigure (with a message per field) or WorkflowError (not the user's sector).
    """
    cleaned = observation_validate(plan=plan, raw=raw, user=user)
    observation = Observation(
        **cleaned,
        status=Status.SUBMITTED,
        reported_by=user,
        submitted_at=timezone.now(),
    )
    _save_figure(observation, user=user, reason=reason)
    announce_transition(observation, old_status="", actor=user)
    return observation


def observation_revise(
    *, observation: Observation, raw: dict, user, based_on_version: int, reason: str = "revised"
) -> Observation:
    """A change to a figure that is not approved yet, by its reporter (roles.can_revise); it goes
    (back) to review. Refused with StaleVersion if the figure changed since `based_on_version`.
    """
    with transaction.atomic():
        current = (
            Observation.objects.select_for_update()
            .select_related("indicator__plan", "indicator__sector")
            .get(pk=observation.pk)
        )
        if not roles.can_revise(user, current):
            raise WorkflowError(_("You may only change figures you reported, until approved."))
        if current.version != based_on_version:
            raise StaleVersion(current)
        cleaned = observation_validate(
            plan=current.indicator.plan, raw=raw, user=user, exclude_pk=current.pk
        )
        for field, value in cleaned.items():
            setattr(current, field, value)
        old_status = current.status
        if current.status != Status.SUBMITTED:
            check_transition(current, Status.SUBMITTED)
            current.status = Status.SUBMITTED
            current.submitted_at = timezone.now()
        current.bump_version()
        _save_figure(current, user=user, reason=reason)
        if old_status != current.status:  # back to review: its reviewers are told again
            announce_transition(current, old_status=old_status, actor=user)
        return current
