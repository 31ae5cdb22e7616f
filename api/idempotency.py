"""Safe retries of reports: a client that did not get an answer (a timeout, a dropped connection,
a database restart) sends the same report again with the same `Idempotency-Key` header.

- The same key (per user) and the same body within KEEP answer what the first request was
  answered (status, body, ETag and Location), without writing again.
- The same key with another body is refused, 422: a key names one report.
- Two requests with one key at the same time write once: the key is claimed (inserted) first in
  the write's transaction, so the second waits for the first's transaction on the unique
  constraint, then answers the stored answer; it answers 409 (retry) only if the first's
  transaction ended without storing one.

A key is stored with its answer in the same transaction as the figure: it exists exactly when
the figure does, so a refused report (400, 403) leaves no key, and its retry is judged afresh.
Keys older than KEEP are deleted by each report that carries a key (an index on created_at).
"""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEEP = timedelta(hours=24)
REPLAYED_HEADERS = ("ETag", "Location")


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was used for another request; use a new key for a new report."
    )
    default_code = "idempotency_key_reused"


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is in progress; retry shortly.")
    default_code = "idempotency_key_in_use"


def request_key(request) -> str | None:
    """The request's key, None without the header; 400 for an empty, too long or non-ASCII key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _("A key is 1 to %(max)d printable ASCII characters.") % {"max": MAX_KEY_LENGTH}
                ]
            }
        )
    return key


def body_hash(data) -> str:
    """The same body however its keys are ordered or spaced."""
    # json, not orjson: a body may hold integers beyond 64 bits (the serializer refuses them)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(user, key: str, digest: str) -> IdempotencyKey | None:
    record = IdempotencyKey.objects.filter(
        user=user, key=key, created_at__gte=timezone.now() - KEEP
    ).first()
    if record is not None and record.request_hash != digest:
        raise KeyReused()
    return record


def _replay(record: IdempotencyKey) -> Response:
    if record.status_code is None:  # claimed, its transaction not finished: cannot happen once
        raise KeyInUse()  # committed, as the answer is stored in the same transaction
    return Response(record.body, status=record.status_code, headers=record.headers)


def purge_expired() -> int:
    """Delete keys older than KEEP; the number deleted."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted


def once(request, write, json_ready) -> Response:
    """`write()` in a transaction, at most once per Idempotency-Key (see the module's docstring).
    `json_ready(data)` turns the answer's data into what a JSON column keeps unchanged."""
    key = request_key(request)
    if key is None:
        with transaction.atomic():
            return write()
    digest = body_hash(request.data)
    with transaction.atomic():
        purge_expired()
        record = _stored(request.user, key, digest)
        if record is not None:
            return _replay(record)
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(
                    user=request.user, key=key, request_hash=digest
                )
        except IntegrityError:  # claimed by a concurrent request, whose transaction has ended
            record = _stored(request.user, key, digest)
            if record is None:
                raise KeyInUse() from None
            return _replay(record)
        response = write()
        claim.status_code = response.status_code
        claim.body = json_ready(response.data)
        claim.headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
        claim.save(update_fields=["status_code", "body", "headers"])
        return response
