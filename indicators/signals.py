"""What the review workflow announces to other apps. indicators is a data app and imports no UI
app: the notifications app (or any other) listens here instead of being called.

`figures_transitioned` is sent once the transaction that moved reported items (figures, outputs'
delivery records) has committed, never for a change that was rolled back, with `transitions`: a
list of Transition. A single action sends one; a reviewer's decision on several items at once
(`announced_together`) sends them all in one signal, so that a listener can tell each person
once. Receivers run after the write: an
error in one is logged and the workflow goes on."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

figures_transitioned = Signal()


@dataclass(frozen=True)
class Transition:
    item: object  # an indicators.models.Reviewable (a figure, a delivery record), as saved
    old_status: str  # "" for a new figure
    new_status: str
    actor: object  # the user who acted
    comment: str = ""  # the reviewer's, may be empty


_collecting = threading.local()


def _send(transitions: list[Transition]) -> None:
    for receiver, result in figures_transitioned.send_robust(
        sender=Transition, transitions=transitions
    ):
        if isinstance(result, Exception):
            logger.error(
                "%s failed on %d figure transition(s)", receiver, len(transitions), exc_info=result
            )


def announce_transition(item, *, old_status: str, actor, comment: str = "") -> None:
    """Announce the item's new status when the current transaction commits (at once outside
    one), or with the others of `announced_together`."""
    transition = Transition(item, old_status, item.status, actor, comment)
    batch = getattr(_collecting, "batch", None)
    if batch is not None:
        batch.append(transition)
    else:
        transaction.on_commit(lambda: _send([transition]))


@contextmanager
def announced_together() -> Iterator[None]:
    """Transitions announced inside are sent in one signal when the transaction commits. Use it
    inside the transaction of an all-or-nothing operation: if the block raises, nothing is
    announced."""
    outer = getattr(_collecting, "batch", None)
    batch = [] if outer is None else outer  # inside another: joins it
    _collecting.batch = batch
    try:
        yield
    finally:
        _collecting.batch = outer
    if outer is None and batch:  # reached only when the block did not raise
        transaction.on_commit(lambda: _send(batch))
