"""Evidence and discussion of a reported item, one page per item and kind (a figure, an output's
delivery record): its attachments (downloaded through a view that checks who asks), a form to
attach a file or a link, and the comment thread. Who may read and write is frameworks.roles'
decision (can_discuss, can_attach); every write goes through indicators.evidence."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from frameworks import roles
from indicators import evidence as evidence_rules
from indicators.evidence import EvidenceRefused
from indicators.models import Comment, Evidence, Observation, OutputDelivery, Reviewable
from indicators.services import WorkflowError
from itu_rbm.stored_files import attachment_response

from .plan_views import role_required


@dataclass(frozen=True)
class SubjectKind:
    """A kind of reported item that has evidence and a discussion."""

    name: str  # in the address: /workspace/<figures|delivery>/<pk>/discussion/
    model: type[Reviewable]
    related: tuple[str, ...]  # select_related: the path to the sector, and what is shown
    own_page: str  # the reporter's page of the item (its form)
    section: str  # the workspace's menu entry

    def describe(self, item) -> str:
        if isinstance(item, Observation):
            return f"{item.indicator.code} · {item.geography.code} · {item.year}"
        return f"{item.output.code} · {item.year}"


KINDS = {
    "figure": SubjectKind(
        "figure",
        Observation,
        ("indicator__sector", "geography", "reported_by", "reviewed_by"),
        "workspace:revise",
        "figures",
    ),
    "delivery": SubjectKind(
        "delivery",
        OutputDelivery,
        ("output__objective__sector", "reported_by", "reviewed_by"),
        "workspace:delivery_revise",
        "deliveries",
    ),
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


class EvidenceForm(forms.Form):
    """A file or a web address (exactly one: indicators.evidence decides, with the type read
    from the file's content)."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=evidence_rules.TITLE_MAX,
        required=False,
        help_text=gettext_lazy("Empty: the file's name or the address."),
    )
    file = forms.FileField(label=gettext_lazy("File"), required=False, allow_empty_file=True)
    url = forms.CharField(label=gettext_lazy("Or a web address"), max_length=600, required=False)
    is_public = forms.BooleanField(
        label=gettext_lazy("Public: listed on the public pages once approved"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="evidence", **kwargs)
        self.fields["file"].help_text = _("%(types)s; up to %(limit)s.") % {
            "types": evidence_rules.accepted_types(),
            "limit": filesizeformat(evidence_rules.max_bytes()),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=evidence_rules.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="comment", **kwargs)


def _subject(request, kind: SubjectKind, pk: int):
    """The item, if the user takes part in its discussion: 404 outside the user's sectors,
    403 (with the reason) inside them for anyone else. Returns (item, refusal response)."""
    item = get_object_or_404(kind.model.objects.select_related(*kind.related), pk=pk)
    if roles.can_discuss(request.user, item):
        return item, None
    if not roles.in_scope(request.user, item):
        raise Http404(_("No such item in your sectors."))
    reason = _("Only the reporter and the sector's reviewers see this item's evidence.")
    return item, render(request, "workspace/forbidden.html", {"reason": reason}, status=403)


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REPORTER, roles.Role.REVIEWER)
def discussion(request, pk: int, kind: str):
    """/workspace/<figures|delivery>/<pk>/discussion/: the item's evidence and comments, and
    the forms to add to them (a file or link until approval, a comment at any time)."""
    subject_kind = KINDS[kind]
    item, refusal = _subject(request, subject_kind, pk)
    if refusal:
        return refusal
    posted = request.POST.get("action") if request.method == "POST" else None
    evidence_form = (
        EvidenceForm(request.POST, request.FILES) if posted == "evidence" else EvidenceForm()
    )
    comment_form = CommentForm(request.POST) if posted == "comment" else CommentForm()
    if posted == "evidence" and evidence_form.is_valid():
        data = evidence_form.cleaned_data
        try:
            added = evidence_rules.evidence_attach(
                subject=item,
                user=request.user,
                file=data["file"],
                url=data["url"],
                title=data["title"],
                is_public=data["is_public"],
            )
        except EvidenceRefused as refused:
            field = "url" if data["url"] and not data["file"] else "file"
            evidence_form.add_error(field, str(refused))
        except WorkflowError as refused:
            evidence_form.add_error(None, str(refused))
        else:
            messages.success(request, _("“%(title)s” was attached.") % {"title": added.title})
            return redirect(request.path)
    elif posted == "comment" and comment_form.is_valid():
        try:
            evidence_rules.comment_add(
                subject=item, user=request.user, text=comment_form.cleaned_data["text"]
            )
        except WorkflowError as refused:
            comment_form.add_error("text", str(refused))
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(f"{request.path}#comments")
    elif posted not in (None, "evidence", "comment"):
        evidence_form.add_error(None, _("Unknown action."))
    context = {
        "kind": subject_kind,
        "item": item,
        "described": subject_kind.describe(item),
        "attachments": list(Evidence.objects.of(item).select_related("added_by")),
        "comments": list(Comment.objects.of(item).select_related("author")),
        "evidence_form": evidence_form,
        "comment_form": comment_form,
        "can_attach": roles.can_attach(request.user, item),
        "can_revise": roles.can_revise(request.user, item),
        "section": subject_kind.section,
    }
    failed = evidence_form.errors or comment_form.errors
    return render(request, "workspace/discussion.html", context, status=400 if failed else 200)


@require_safe
@role_required(roles.Role.REPORTER, roles.Role.REVIEWER)
def download(request, pk: int):
    """/workspace/evidence/<pk>/: an attached file, for those who take part in its item's
    discussion (404 for others outside its sector, 403 inside)."""
    found = get_object_or_404(
        Evidence.objects.select_related("content_type").exclude(file=""), pk=pk
    )
    kind = KIND_OF_MODEL.get(found.content_type.model_class())
    if kind is None:
        raise Http404(_("No such file."))
    _item, refusal = _subject(request, kind, found.object_id)
    if refusal:
        return refusal
    opened = evidence_rules.open_file(found)
    if opened is None:
        raise Http404(_("The file is no longer stored."))
    return attachment_response(
        opened,
        filename=found.filename,
        content_type=evidence_rules.CONTENT_TYPES[found.kind],
        private=True,
    )
