"""Test client helpers shared by the apps' page tests."""


def as_(client, user):
    """The client signed in as ``user``, or signed out for None."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client
