"""Accounts and their credentials: how strong a password must be, what a password change ends
(the user's API tokens; other sessions end by Django's session hash), and how long a sign-in
stays locked after repeated failures.

- GuessabilityValidator (settings AUTH_PASSWORD_VALIDATORS): zxcvbn's estimate, after taking
  out the words anyone who knows the portal would try first (its name, the plans' years) and
  the user's own (username, email, names): what is left must score at least 3 of 4. zxcvbn
  alone lets "itu-rbm-2020" through (it reads "-rbm-" as random characters).
- A password change, however it happens (the admin's forms, a reset, set_password + save,
  `manage.py changepassword`), revokes the user's API tokens: `revoke_tokens_on_password_change`
  is connected to the user model's pre_save in frameworks.apps.
- signin_cooloff (settings AXES_COOLOFF_TIME): a lock-out of the pair (user, address) lasts
  AXES_COOLOFF_FIRST_MINUTES, doubling with each earlier lock-out of the same pair within a day,
  up to AXES_COOLOFF_MAX_MINUTES.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

PORTAL_WORDS = ("itu", "rbm", "portal", "strategic", "plan", "results", "sector")
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable: moderate protection from offline attacks"
MIN_WORD = 3  # shorter pieces of a name or address are not taken out (they are letters)
COOLOFF_MEMORY = timedelta(days=1)
"""How long a lock-out counts towards the next one's length."""


def plan_years() -> set[str]:
    from .models import StrategicPlan

    years = {timezone.now().year}
    for start, end in StrategicPlan.objects.values_list("period_start", "period_end"):
        years.update(range(start, end + 1))
    return {str(year) for year in years}


def personal_words(user) -> set[str]:
    """The user's username, email and names, whole and in pieces ("jane.smith@itu.int" gives
    jane, smith, itu, int…)."""
    if user is None:
        return set()
    values = [
        str(getattr(user, name, "") or "")
        for name in (user.USERNAME_FIELD, "email", "first_name", "last_name")
    ]
    words = set()
    for value in values:
        words.add(value.lower())
        words.update(piece.lower() for piece in re.split(r"[\W_]+", value))
    return {word for word in words if len(word) >= MIN_WORD}


class GuessabilityValidator:
    """Refuses a password that is easy to guess for someone who knows the portal and the user:
    zxcvbn's score of what remains once the portal's words, the plans' years and the user's own
    words are taken out must be at least `min_score`."""

    def __init__(self, min_score: int = MIN_SCORE):
        self.min_score = min_score

    def words(self, user=None) -> list[str]:
        # longest first, so "strategic" goes before "plan" would split it
        return sorted(set(PORTAL_WORDS) | plan_years() | personal_words(user), key=len)[::-1]

    def validate(self, password: str, user=None) -> None:
        words = self.words(user)
        rest = password
        for word in words:
            rest = re.sub(re.escape(word), "", rest, flags=re.IGNORECASE)
        if zxcvbn(rest, user_inputs=words)["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess. Use several unrelated words or a long "
                    "phrase; the portal's name, the plan's years and your own name or address do "
                    "not count towards its strength."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must be hard to guess: several unrelated words or a long phrase, not "
            "built on the portal's name, the plan's years or your own name."
        )


# --- a password change revokes the user's API tokens --------------------------------------------


def revoke_api_tokens(user) -> int:
    """Delete every API token of `user`; the number deleted."""
    from knox.models import get_token_model

    deleted, _by_model = get_token_model().objects.filter(user=user).delete()
    return deleted


def revoke_tokens_on_password_change(sender, instance, update_fields=None, **kwargs):
    """pre_save of the user model: if the stored password is about to change, the tokens go (in
    the same transaction when there is one; if the save then fails, they are gone anyway, which
    errs on the safe side)."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return  # a new account has no tokens; a save of other fields (last_login) keeps them
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    if stored.first() not in (None, instance.password):
        revoke_api_tokens(instance)


# --- sign-in lock-out ---------------------------------------------------------------------------


def signin_cooloff(request=None) -> timedelta:
    """How long the pair (user, address) of `request` stays locked (axes' AXES_COOLOFF_TIME,
    asked at each attempt and for the lock-out page): the first cool-off, doubled for each
    earlier lock-out of the pair within COOLOFF_MEMORY, at most the maximum.

    "Earlier" means before the failures axes counts now: a lock-out logged at or after the first
    attempt axes still holds for the pair is the current one. So one lock-out has one length
    from its first failure to its end. Two queries."""
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt, AccessFailureLog

    first = timedelta(minutes=settings.AXES_COOLOFF_FIRST_MINUTES)
    longest = timedelta(minutes=settings.AXES_COOLOFF_MAX_MINUTES)
    address = getattr(request, "axes_ip_address", None)
    if request is None or address is None:
        return first
    username = get_client_username(request)
    pair = {"username": username, "ip_address": address}
    # the pair's failures axes holds (one row per user agent): before them, earlier lock-outs
    current = AccessAttempt.objects.filter(**pair).order_by("attempt_time").first()
    before = current.attempt_time if current is not None else timezone.now() + COOLOFF_MEMORY
    earlier = AccessFailureLog.objects.filter(
        **pair,
        locked_out=True,
        attempt_time__gte=timezone.now() - COOLOFF_MEMORY,
        attempt_time__lt=before,
    ).count()
    return min(first * 2**earlier, longest)
