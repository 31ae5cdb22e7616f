"""Notifications go through a real SMTP server (aiosmtpd) on a free port of this machine; the
tests read back what arrived, as a mail client would."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from indicators import services
from indicators.models import Observation
from itu_rbm.settings import email_from_url
from tests.personas import make_persona

FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68.5",
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "source_url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
    "edition": "Facts and Figures 2025",
    "note": "",
}
PORTAL = "https://rbm.example.org"


class Inbox:
    """What the SMTP server received: each envelope's recipients and message."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def recipients(self) -> list[str]:
        return sorted(address for envelope in self.envelopes for address in envelope.rcpt_tos)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """An empty inbox, and the portal sending to it through SMTP (configured by EMAIL_URL's
    parser, as in production)."""
    smtp_server.handler.envelopes.clear()
    url = f"smtp://127.0.0.1:{smtp_server.port}/?timeout=5"
    for name, value in email_from_url(url).items():
        setattr(settings, name, value)
    settings.PORTAL_URL = PORTAL
    return smtp_server.handler


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    names = ["reporter_d", "reporter_r", "reviewer_d", "reviewer_r", "administrator", "no_role"]
    return {name: make_persona(name) for name in names}


@pytest.fixture
def reported(people, plan, django_capture_on_commit_callbacks):
    """Report a figure as reporter_d (the review workflow's e-mails sent at the commit)."""

    def report(**changes) -> Observation:
        with django_capture_on_commit_callbacks(execute=True):
            return services.observation_report(
                plan=plan, raw={**FIGURE, **changes}, user=people["reporter_d"]
            )

    return report


def body(message) -> str:
    """The text, with the line ends of the file it was written in (SMTP carries CRLF)."""
    return message.get_content().replace("\r\n", "\n")


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits(execute=True):` runs what waits for the commit (the e-mails) at its end."""
    return django_capture_on_commit_callbacks


def subject(message) -> str:
    """The subject as a mail client shows it (Django folds a non-ASCII subject onto the next
    line; the parser keeps that line's leading space)."""
    return message["Subject"].strip()
