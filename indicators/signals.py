"""What the review workflow announces to other apps. indicators is a data app and imports no UI
app: the notifications app (or any other) listens here instead of being called.

`figure_transitioned` is sent once the transaction that moved a figure has committed, never for a
change that was rolled back. Its arguments: `observation`, `old_status` ("" for a new figure),
`new_status`, `actor` (the user who acted) and `comment` (the reviewer's, may be empty).
Receivers run after the write: an error in one is logged and the workflow goes on."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

figure_transitioned = Signal()


def announce_transition(observation, *, old_status: str, actor, comment: str = "") -> None:
    """Send `figure_transitioned` for the figure's new status when the current transaction
    commits (at once outside one)."""
    new_status = observation.status

    def send():
        for receiver, result in figure_transitioned.send_robust(
            sender=type(observation),
            observation=observation,
            old_status=old_status,
            new_status=new_status,
            actor=actor,
            comment=comment,
        ):
            if isinstance(result, Exception):
                logger.error(
                    "%s failed on figure %s becoming %s",
                    receiver,
                    observation.pk,
                    new_status,
                    exc_info=result,
                )

    transaction.on_commit(send)
