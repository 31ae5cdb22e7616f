"""What the data apps announce, turned into notifications (connected in apps.py)."""

from .models import Event
from .services import Notice, notify
from .subjects import subject_of

EVENTS = {
    "submitted": Event.SUBMITTED,
    "returned": Event.RETURNED,
    "approved": Event.APPROVED,
}
"""An item's new review status -> the event people are told of (a draft concerns nobody)."""


def figures_transitioned(sender, *, transitions, **kwargs):
    notify(
        [
            Notice(subject_of(t.item).name, t.item, EVENTS[t.new_status], t.actor, t.comment)
            for t in transitions
            if t.new_status in EVENTS
        ]
    )
