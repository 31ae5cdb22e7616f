"""The review workflow of reported items, figures (Observation) and outputs' delivery records
(OutputDelivery) alike: draft → submitted → approved, or submitted → returned (with the
reviewer's comment) → submitted again. Nothing else is allowed.

The workflow works on any indicators.models.Reviewable (`reviewable_submit`, `reviewable_approve`,
`reviewable_return`, `reviewables_review`); every change of state goes through `_transition`.
Each kind has its own named functions on top (`observation_*`, `delivery_*`).

Reporting a figure (`observation_report`) and revising one (`observation_revise`) validate it with
indicators.validation.ObservationValidator, the import command's and the API's own rules;
recording a delivery (`delivery_record`, `delivery_revise`) checks the output, the year against
the plan's reporting window and the narrative."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from frameworks import roles
from frameworks.i18n import LANGUAGES
from frameworks.models import Output, StrategicPlan

from .models import Observation, OutputDelivery, Reviewable, ReviewStatus
from .signals import announce_transition, announced_together
from .validation import FIELDS, ObservationValidator, Problem, ReportingWindow

Status = ReviewStatus

TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.APPROVED: set(),
}


class WorkflowError(Exception):
    """A transition that the workflow or the user's role does not allow; the message says why."""


def _message(item: Reviewable, key: str) -> str:
    """The kind's own words for a refusal (Reviewable.review_messages)."""
    return str(type(item).review_messages[key])


def check_transition(item: Reviewable, new_status: str) -> None:
    current = Status(item.status)
    if Status(new_status) not in TRANSITIONS[current]:
        raise WorkflowError(
            _message(item, "illegal")
            % {"current": current.label.lower(), "new": Status(new_status).label.lower()}
        )


def _transition(item: Reviewable, new_status, *, user, comment="", reason):
    """The one place where an item changes state in the workflow, for every kind."""
    check_transition(item, new_status)
    old_status = item.status
    now = timezone.now()
    item.status = new_status
    item.bump_version()
    if new_status == Status.SUBMITTED:
        item.submitted_at = now
        item.reported_by = item.reported_by or user
    else:
        item.reviewed_by = user
        item.reviewed_at = now
        item.review_comment = comment
    item._change_reason = reason  # recorded in the history by django-simple-history
    item._history_user = user  # also when there is no request (commands, tests)
    item.save()
    announce_transition(item, old_status=old_status, actor=user, comment=comment)
    return item


def reviewable_submit(*, item: Reviewable, user) -> Reviewable:
    if not roles.can_report(user, item.reported_element):
        raise WorkflowError(_message(item, "may_not_report"))
    return _transition(item, Status.SUBMITTED, user=user, reason="submitted")


def _check_reviewer(item: Reviewable, user) -> None:
    if not roles.can_review(user, item):
        raise WorkflowError(_message(item, "may_not_review"))
    if item.reported_by_id == user.pk and not roles.is_administrator(user):
        # four eyes: an item is reviewed by somebody else than its reporter
        raise WorkflowError(_message(item, "own"))


def reviewable_approve(*, item: Reviewable, user, comment: str = "") -> Reviewable:
    _check_reviewer(item, user)
    return _transition(item, Status.APPROVED, user=user, comment=comment, reason="approved")


def reviewable_return(*, item: Reviewable, user, comment: str) -> Reviewable:
    _check_reviewer(item, user)
    if not comment.strip():
        raise WorkflowError(_message(item, "comment"))
    return _transition(item, Status.RETURNED, user=user, comment=comment, reason="returned")


def reviewables_review(
    *, model: type[Reviewable], items: Iterable[Reviewable], user, approve: bool, comment: str = ""
) -> int:
    """Approve or return several items of one kind at once: all of them, or none if one is
    refused.

    Each item is read again and locked (on PostgreSQL) before its transition, so that two
    reviewers acting at once cannot both move it; the objects passed in are not modified.
    """
    action = reviewable_approve if approve else reviewable_return
    # one announcement for the whole decision: each reporter is told once, not once per item
    with transaction.atomic(), announced_together():
        pks = [item.pk for item in items]
        # the path to the sector, for roles.can_review on each
        related = model.sector_path.rsplit("__", 1)[0]
        locked = (
            model.objects.select_for_update()
            .select_related(related)
            .filter(pk__in=pks)
            .order_by("pk")
            .in_bulk()
        )
        for pk in pks:
            if pk not in locked:
                raise WorkflowError(str(model.review_messages["gone"]))
            action(item=locked[pk], user=user, comment=comment)
    return len(pks)


# --- figures ------------------------------------------------------------------------------------


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
    """The item changed since the version a change is based on; `current` is what is stored."""

    def __init__(self, current: Reviewable):
        self.current = current
        super().__init__(_message(current, "stale") % {"version": current.version})


def observation_submit(*, observation: Observation, user) -> Observation:
    return reviewable_submit(item=observation, user=user)


def observation_approve(*, observation: Observation, user, comment: str = "") -> Observation:
    return reviewable_approve(item=observation, user=user, comment=comment)


def observation_return(*, observation: Observation, user, comment: str) -> Observation:
    return reviewable_return(item=observation, user=user, comment=comment)


def observations_review(
    *, observations: Iterable[Observation], user, approve: bool, comment: str = ""
) -> int:
    """Approve or return several figures at once: all of them, or none if one is refused
    (reviewables_review)."""
    return reviewables_review(
        model=Observation, items=observations, user=user, approve=approve, comment=comment
    )


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


# --- outputs' delivery --------------------------------------------------------------------------

NARRATIVE_MAX = 4000


class InvalidDelivery(WorkflowError):
    """A delivery record that is not valid: messages by field; `existing` is the record of the
    same output and year when that is the reason."""

    def __init__(self, errors: dict[str, list[str]], existing: OutputDelivery | None = None):
        self.errors, self.existing = errors, existing
        super().__init__("; ".join(message for messages in errors.values() for message in messages))

    def by_field(self) -> dict[str, list[str]]:
        return self.errors


def _clean_delivery(raw: dict, errors: dict[str, list[str]]) -> dict:
    """The fields a reporter writes (delivery, narrative and its language, evidence), checked."""
    cleaned = {}
    delivery = str(raw.get("delivery") or "")
    if delivery not in OutputDelivery.Delivery.values:
        errors.setdefault("delivery", []).append(
            _("Choose whether the output was delivered, partly, not delivered or not due yet.")
        )
    cleaned["delivery"] = delivery
    narrative = str(raw.get("narrative") or "").strip()
    language = str(raw.get("narrative_language") or "")
    if not narrative:
        errors.setdefault("narrative", []).append(
            _("Say in a few words what was delivered, in any of the six languages.")
        )
    elif len(narrative) > NARRATIVE_MAX:
        errors.setdefault("narrative", []).append(
            _("Keep the narrative short: at most %(max)s characters.") % {"max": NARRATIVE_MAX}
        )
    if language not in LANGUAGES:
        errors.setdefault("narrative_language", []).append(
            _("Choose the language the narrative is written in.")
        )
    cleaned["narrative"], cleaned["narrative_language"] = narrative, language
    evidence_url = str(raw.get("evidence_url") or "").strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            evidence_url = ""
            errors.setdefault("evidence_url", []).append(
                _("Give the evidence's full web address, starting with https://.")
            )
        if len(evidence_url) > 500:
            errors.setdefault("evidence_url", []).append(
                _("The web address is too long: at most 500 characters.")
            )
    cleaned["evidence_url"] = evidence_url
    return cleaned


def _write_delivery(record: OutputDelivery, cleaned: dict) -> None:
    record.delivery = cleaned["delivery"]
    # the narrative goes in its language's column; the other languages keep what they hold
    setattr(
        record,
        build_localized_fieldname("narrative", cleaned["narrative_language"]),
        cleaned["narrative"],
    )
    record.evidence_url = cleaned["evidence_url"]


def delivery_record(*, plan: StrategicPlan, raw: dict, user) -> OutputDelivery:
    """A new delivery record for one of the plan's outputs in a year of its reporting window,
    submitted for review at once. `raw`: output (its code), year, delivery, narrative,
    narrative_language, evidence_url.

    Raises InvalidDelivery (messages by field) or WorkflowError (not the user's sector)."""
    errors: dict[str, list[str]] = {}
    code = str(raw.get("output") or "").strip()
    output = Output.objects.select_related("objective__sector").filter(plan=plan, code=code).first()
    if output is None:
        errors["output"] = [
            _("%(code)s is not an output of the %(plan)s plan.")
            % {"code": code or "—", "plan": plan.code}
        ]
    elif not roles.can_report(user, output):
        raise WorkflowError(
            _("You may not record the delivery of the outputs of %(sector)s.")
            % {"sector": output.objective.sector.code}
        )
    year = None
    try:
        year = int(str(raw.get("year") or "").strip())
    except ValueError:
        errors["year"] = [_("Give the year as four digits, e.g. 2022.")]
    else:
        window = ReportingWindow.for_plan(plan)
        if not window.first <= year <= window.last:
            errors["year"] = [
                _(
                    "%(year)s is outside the reporting window of the %(plan)s plan: "
                    "%(first)s to %(last)s"
                )
                % {"year": year, "plan": plan.code, "first": window.first, "last": window.last}
            ]
    cleaned = _clean_delivery(raw, errors)
    existing = None
    if output is not None and "year" not in errors:
        existing = OutputDelivery.objects.filter(output=output, year=year).first()
        if existing is not None:
            errors["year"] = [_duplicate_message(output, year)]
    if errors:
        raise InvalidDelivery(errors, existing)
    record = OutputDelivery(
        output=output,
        year=year,
        status=Status.SUBMITTED,
        reported_by=user,
        submitted_at=timezone.now(),
    )
    _write_delivery(record, cleaned)
    record._history_user, record._change_reason = user, "reported"
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # recorded by someone else between the check and the write
        existing = OutputDelivery.objects.filter(output=output, year=year).first()
        raise InvalidDelivery({"year": [_duplicate_message(output, year)]}, existing) from None
    announce_transition(record, old_status="", actor=user)
    return record


def _duplicate_message(output: Output, year: int) -> str:
    return _("%(output)s already has a delivery record for %(year)s: change that one instead.") % {
        "output": output.code,
        "year": year,
    }


def delivery_revise_refusal(user, record: OutputDelivery) -> str | None:
    """Why the user may not change a delivery record, or None: as for figures, its reporter
    (still reporting for its sector) until it is approved, or an administrator."""
    mine = getattr(user, "pk", None) is not None and record.reported_by_id == user.pk
    if not (mine or roles.is_administrator(user)):
        return _("You may only change delivery records you made.")
    if record.status == Status.APPROVED:
        return _("An approved delivery record cannot be changed.")
    if mine and not roles.can_report(user, record.output):
        return _("You may only change delivery records you made, until approved.")
    return None


def delivery_revise(
    *, record: OutputDelivery, raw: dict, user, based_on_version: int
) -> OutputDelivery:
    """A change to a delivery record that is not approved yet (its output and year stay); it
    goes (back) to review. Refused with StaleVersion if it changed since `based_on_version`."""
    with transaction.atomic():
        current = (
            OutputDelivery.objects.select_for_update()
            .select_related("output__objective__sector")
            .get(pk=record.pk)
        )
        refusal = delivery_revise_refusal(user, current)
        if refusal:
            raise WorkflowError(refusal)
        if current.version != based_on_version:
            raise StaleVersion(current)
        errors: dict[str, list[str]] = {}
        cleaned = _clean_delivery(raw, errors)
        if errors:
            raise InvalidDelivery(errors)
        _write_delivery(current, cleaned)
        old_status = current.status
        if current.status != Status.SUBMITTED:
            check_transition(current, Status.SUBMITTED)
            current.status = Status.SUBMITTED
            current.submitted_at = timezone.now()
        current.bump_version()
        current._history_user, current._change_reason = user, "revised"
        current.save()
        if old_status != current.status:  # back to review: its reviewers are told again
            announce_transition(current, old_status=old_status, actor=user)
        return current


def deliveries_review(
    *, deliveries: Iterable[OutputDelivery], user, approve: bool, comment: str = ""
) -> int:
    """Approve or return several delivery records at once, all or none (reviewables_review)."""
    return reviewables_review(
        model=OutputDelivery, items=deliveries, user=user, approve=approve, comment=comment
    )
