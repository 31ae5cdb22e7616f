"""/<lang>/workspace/notifications/: each user chooses how often and in which language."""

import pytest
from django.test import Client

from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = "/en/workspace/notifications/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_defaults_and_the_address(people, django_assert_max_num_queries):
    client = signed_in(people["reviewer_d"])

    with django_assert_max_num_queries(8):
        response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "E-mails go to reviewer_d@example.org." in page
    assert 'value="immediate" id="id_frequency_0" required checked' in page
    assert '<option value="en" selected>English</option>' in page
    assert 'href="/en/workspace/notifications/" aria-current="page"' in page  # the nav's link


def test_a_choice_is_saved_and_shown_again(people):
    client = signed_in(people["reporter_d"])

    response = client.post(URL, {"frequency": "daily", "language": "fr"})

    assert response.status_code == 302
    assert response["Location"] == URL
    preference = NotificationPreference.objects.get(user=people["reporter_d"])
    assert (preference.frequency, preference.language) == ("daily", "fr")
    page = client.get(URL).content.decode()
    assert "Your notification settings were saved." in page
    assert 'value="daily" id="id_frequency_1" required checked' in page

    client.post(URL, {"frequency": "immediate", "language": "ar"})
    preference.refresh_from_db()
    assert (preference.frequency, preference.language) == ("immediate", "ar")
    assert NotificationPreference.objects.filter(user=people["reporter_d"]).count() == 1


def test_an_unknown_choice_is_refused_with_a_message(people):
    client = signed_in(people["reporter_d"])

    response = client.post(URL, {"frequency": "hourly", "language": "xx"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. hourly is not one of the available choices." in page
    assert "Select a valid choice. xx is not one of the available choices." in page
    assert not NotificationPreference.objects.exists()


def test_only_staff_with_a_role_have_the_page(people, client):
    assert client.get(URL).status_code == 302  # to sign in
    assert signed_in(people["no_role"]).get(URL).status_code == 403


def test_an_account_without_an_address_is_told_it_receives_nothing(people):
    user = people["reviewer_r"]
    user.email = ""
    user.save()

    page = signed_in(user).get(URL).content.decode()

    assert "Your account has no e-mail address" in page
