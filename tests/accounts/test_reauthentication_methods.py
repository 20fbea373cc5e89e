"""allauth 65.22 added "confirm it's you" by emailed code; the site keeps password or two-factor."""


def test_confirming_it_is_you_offers_no_emailed_code(client, user):
    client.force_login(user)
    page = client.get("/accounts/reauthenticate/")
    assert page.status_code == 200
    assert "/accounts/reauthenticate/code/" not in page.text
    assert client.get("/accounts/reauthenticate/code/").status_code == 403
    assert (
        client.post("/accounts/reauthenticate/code/", {"recipient": user.email}).status_code == 403
    )
