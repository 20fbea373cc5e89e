def test_the_privacy_page_is_public_and_says_plainly_what_encryption_does_and_does_not_do(
    client, db
):
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = response.text
    assert "copy of our database, or one of its backups" in text  # what it protects
    assert "takes over the running site" in text  # what it does not
    assert "Files you download" in text and "30 days" in text
    # What issue 6 asks the page to say in plain words.
    for words in [
        "no analytics",
        "There are no third parties",
        "signed out after 30 minutes without activity",
        'href="/accounts/export/"',
        'href="/accounts/delete/"',
        "cannot erase pages already in your browser",
        "whoever holds the site's keys",
        "until they expire",
    ]:
        assert words in text, words


def test_every_page_footer_links_the_privacy_page(client, db):
    for path in ("/", "/guides/", "/safety/"):
        assert 'href="/privacy/"' in client.get(path).text, path
