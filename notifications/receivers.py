"""What the data apps announce, turned into notifications (connected in apps.py)."""

from .models import Event
from .services import notify
from .subjects import FIGURE

EVENTS = {
    "submitted": Event.SUBMITTED,
    "returned": Event.RETURNED,
    "approved": Event.APPROVED,
}
"""A figure's new review status -> the event people are told of (a draft concerns nobody)."""


def figure_transitioned(sender, *, observation, new_status, actor, comment="", **kwargs):
    event = EVENTS.get(new_status)
    if event is not None:
        notify(subject=FIGURE.name, thing=observation, event=event, actor=actor, comment=comment)
