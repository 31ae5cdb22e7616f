"""EMAIL_URL names the mail server; a malformed one stops start-up with a message naming it."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from itu_rbm.settings import email_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def test_smtp_with_starttls_and_a_percent_encoded_password():
    assert email_from_url("smtp://portal%40itu.int:p%2Fss%3Aword@mail.itu.int:2525/?tls=true") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.itu.int",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "portal@itu.int",
        "EMAIL_HOST_PASSWORD": "p/ss:word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.itu.int", 25, False, False),
        ("smtp://mail.itu.int?tls=yes", 587, True, False),
        ("smtps://mail.itu.int", 465, False, True),
        ("smtp://mail.itu.int/?ssl=1&timeout=30", 465, False, True),
    ],
)
def test_ports_follow_the_kind_of_encryption(url, port, tls, ssl):
    settings = email_from_url(url)
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )


@pytest.mark.parametrize("url", ["", "  ", "console://"])
def test_no_address_or_console_prints_mails(url):
    assert email_from_url(url) == {"EMAIL_BACKEND": CONSOLE}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:secret@mail.itu.int", "EMAIL_URL must start with smtp://, smtps:// or "),
        ("mail.itu.int", "not an address without a scheme"),
        ("smtp://", "EMAIL_URL names no mail server"),
        ("smtp://mail.itu.int:port", "EMAIL_URL is not a valid address"),
        ("smtp://mail.itu.int/?tls=true&starttls=1", "EMAIL_URL has unknown options ['starttls']"),
        ("smtp://mail.itu.int/?tls=maybe", "EMAIL_URL's tls must be true or false, not 'maybe'"),
        ("smtps://mail.itu.int/?tls=true", "choose one"),
        ("smtp://mail.itu.int/?timeout=0", "EMAIL_URL's timeout must be a whole number"),
    ],
)
def test_a_malformed_address_is_refused_by_name(url, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        email_from_url(url)
    assert message in str(refused.value)
    assert "secret" not in str(refused.value)  # a password never goes to the logs


def mail_warnings() -> list:
    return [message for message in run_checks() if message.id == "notifications.W001"]


def test_production_without_a_mail_server_is_warned(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = CONSOLE
    (warning,) = mail_warnings()
    assert (
        warning.msg == "EMAIL_URL is not set: notifications are printed on the console, not sent."
    )
    assert "smtp://" in warning.hint


def test_development_or_a_mail_server_is_not_warned(settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = CONSOLE
    assert mail_warnings() == []
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    assert mail_warnings() == []
