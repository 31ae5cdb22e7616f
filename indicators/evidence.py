"""Evidence and discussion of reported items (figures, outputs' delivery records): what a file
is, read from its content (`sniff`), and the two writes, `evidence_attach` and `comment_add`.

Who may do what is frameworks.roles' decision (`can_discuss`, `can_attach`): the item's reporter
and the reviewers of its sector (administrators too) read its evidence and discussion and add to
them; nobody else. Attachments are added until the item is approved (what the reviewer approved
is what it rests on); comments at any time, approval included.

Files go through Django's storage API (`default_storage`, STORAGES["default"]): a folder on disk
by default (MEDIA_ROOT), object storage in production if configured so. Nothing serves them
directly: the workspace's download checks the reader's right, the public one that the evidence
is public and its item approved.
"""

import codecs
import csv
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from frameworks import roles

from .models import Comment, Evidence, Reviewable
from .services import WorkflowError

Kind = Evidence.Kind

TITLE_MAX = 200
COMMENT_MAX = 5000
CSV_SAMPLE = 64 * 1024  # what csv.Sniffer reads to find the delimiter
CSV_ROWS_CHECKED = 200
CHUNK = 64 * 1024

CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.CSV: "text/csv; charset=utf-8",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.GIF: "image/gif",
    Kind.WEBP: "image/webp",
}

SIGNATURES = [
    (b"%PDF-", Kind.PDF),
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
]


class EvidenceRefused(WorkflowError):
    """A file or link that cannot be attached; the message says why and what would do."""


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def accepted_types() -> str:
    return _("PDF, Excel workbook (.xlsx), CSV table, PNG, JPEG, GIF or WebP image")


def _refuse_type() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "This file is not one of the accepted types: %(types)s. Its content decides, "
            "not its name."
        )
        % {"types": accepted_types()}
    )


def _is_xlsx(uploaded) -> bool:
    """An Office Open XML workbook: a ZIP archive with the package's content types and a
    workbook part (a .docx or any other ZIP has no xl/workbook.xml)."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _is_csv(uploaded) -> bool:
    """A table as text: UTF-8 (a byte-order mark allowed) throughout, no NUL byte, not markup,
    and its first rows split into the same number of fields (two or more) by one delimiter."""
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    sample = []
    sampled = 0
    try:
        for chunk in iter(lambda: uploaded.read(CHUNK), b""):
            if b"\x00" in chunk:
                return False
            text = decoder.decode(chunk)
            if sampled < CSV_SAMPLE:
                sample.append(text)
                sampled += len(text)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    head = "".join(sample)[:CSV_SAMPLE]
    if not head.strip() or head.lstrip().startswith("<"):  # HTML, XML, SVG: markup, not a table
        return False
    # the sample's last line may be cut off: leave it out when there are others
    lines = head.splitlines()
    if len(head) >= CSV_SAMPLE and len(lines) > 1:
        lines = lines[:-1]
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines[:CSV_ROWS_CHECKED], dialect) if row}
    return len(widths) == 1 and widths.pop() >= 2


def sniff(uploaded) -> str:
    """The type of an uploaded file (an Evidence.Kind value), read from its content, never
    from its name or the browser's word; raises EvidenceRefused for anything else, or for a
    file over EVIDENCE_MAX_BYTES (checked first, from the size the upload already knows)."""
    size = uploaded.size
    if size is not None and size > max_bytes():
        raise EvidenceRefused(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    if not size:
        raise EvidenceRefused(_("The file is empty."))
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head.startswith(b"PK\x03\x04"):
        if _is_xlsx(uploaded):
            uploaded.seek(0)
            return Kind.XLSX
        raise _refuse_type()
    if _is_csv(uploaded):
        uploaded.seek(0)
        return Kind.CSV
    raise _refuse_type()


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise EvidenceRefused(
            _("Give a full web address, starting with https:// or http://.")
        ) from None
    if len(url) > Evidence._meta.get_field("url").max_length:
        raise EvidenceRefused(_("This web address is too long."))
    return url


def evidence_attach(
    *,
    subject: Reviewable,
    user,
    file=None,
    url: str = "",
    title: str = "",
    is_public: bool = False,
) -> Evidence:
    """Attach a file (an UploadedFile) or a link to a reported item, exactly one of them.

    `subject` with its path to the sector select_related (roles.can_attach). Refused with
    EvidenceRefused (what is wrong with the file or link) or WorkflowError (who may not)."""
    if not roles.can_attach(user, subject):
        if subject.status == Reviewable.Status.APPROVED:
            raise WorkflowError(_("Evidence is added until approval; this item is approved."))
        raise WorkflowError(_("Only the reporter and the sector's reviewers may add evidence."))
    url = (url or "").strip()
    if file is None and not url:
        raise EvidenceRefused(_("Choose a file or give a web address."))
    if file is not None and url:
        raise EvidenceRefused(_("Either a file or a web address, not both."))
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        raise EvidenceRefused(
            _("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    evidence = Evidence(subject=subject, added_by=user, is_public=is_public)
    if file is not None:
        evidence.kind = sniff(file)
        evidence.size = file.size
        evidence.title = title or file.name[:TITLE_MAX]
    else:
        evidence.url = _check_url(url)
        evidence.kind = Kind.LINK
        evidence.title = title or url[:TITLE_MAX]
    if file is not None:
        # stored through the storage API first (upload_to=evidence_path names it); removed
        # again if the row cannot be written, so that no file is left without its record
        # the browser's name without folders, never "." or ".." (refused by the storage)
        name = PurePath(file.name or "").name.lstrip(".") or "file"
        evidence.file.save(name, file, save=False)
    try:
        with transaction.atomic():
            # read the state again, locked: a reviewer approving meanwhile closes the evidence
            status = (
                type(subject)
                .objects.select_for_update()
                .filter(pk=subject.pk)
                .values_list("status", flat=True)
                .first()
            )
            if status is None:
                raise WorkflowError(_("This item no longer exists."))
            if status == Reviewable.Status.APPROVED:
                raise WorkflowError(_("Evidence is added until approval; this item is approved."))
            evidence.save()
    except Exception:
        if evidence.file:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def comment_add(*, subject: Reviewable, user, text: str) -> Comment:
    """A comment on a reported item, by its reporter or a reviewer of its sector; refused with
    WorkflowError otherwise, or for an empty or overlong text."""
    if not roles.can_discuss(user, subject):
        raise WorkflowError(_("Only the reporter and the sector's reviewers take part here."))
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("Write a comment first."))
    if len(text) > COMMENT_MAX:
        raise WorkflowError(
            _("The comment is too long: at most %(max)d characters.") % {"max": COMMENT_MAX}
        )
    return Comment.objects.create(subject=subject, author=user, text=text)


# --- reading ---------------------------------------------------------------------------------


def open_file(evidence: Evidence):
    """The stored file, open for reading through the storage API, or None if the storage no
    longer has it (a link has none)."""
    if not evidence.file:
        return None
    try:
        return evidence.file.storage.open(evidence.file.name, "rb")
    except (FileNotFoundError, OSError):
        return None


def public_evidence(pk: int) -> Evidence | None:
    """Evidence anyone may download: a file marked public whose item is approved; None for
    anything else (private, a link, an item not approved, or none at all). Two queries."""
    evidence = (
        Evidence.objects.public()
        .exclude(kind=Kind.LINK)
        .select_related("content_type")
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        return None
    model = evidence.content_type.model_class()
    if model is None or not issubclass(model, Reviewable):
        return None
    approved = model.objects.approved().filter(pk=evidence.object_id).exists()
    return evidence if approved else None


def has_public_evidence(model: type[Reviewable]) -> Exists:
    """An annotation for a queryset of `model`: whether the item has public evidence (so that
    a page asks for the evidence only when there is some)."""
    return Exists(Evidence.objects.public().of_model(model).filter(object_id=OuterRef("pk")))


def public_by_subject(model: type[Reviewable], pks) -> dict[int, list[Evidence]]:
    """The public evidence of the items of `model` with ids `pks`, by item id, in the order it
    was added; the caller passes approved items only. One query, none without ids."""
    found: dict[int, list[Evidence]] = {}
    pks = list(pks)
    if not pks:
        return found
    for evidence in Evidence.objects.public().of_many(model, pks):
        found.setdefault(evidence.object_id, []).append(evidence)
    return found
