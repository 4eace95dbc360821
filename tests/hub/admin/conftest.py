"""Admin fixtures: users of every role, a logged-in test client that sends the CSRF token."""
import re

import pytest
from werkzeug.security import generate_password_hash

from hub.store import office

PASSWORD = "correct horse 8"
# user name -> (role, department): the viewer and the leader belong to 民政 (window w03, clerks c05/c06).
USERS = {"office": ("office", None), "viewer": ("viewer", "民政"), "leader": ("leader", "民政")}


@pytest.fixture(scope="session")
def password_hash():
    """The hash of PASSWORD, computed once (scrypt is slow on purpose)."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def users(store, password_hash):
    """One user per role."""
    return {name: office.add_user(store, name, password_hash, role, department=department)
            for name, (role, department) in USERS.items()}


def token_of(html):
    """The CSRF token of the first form in *html*."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Actions:
    """Log in and out, and post forms with the session's CSRF token (like flaskr's AuthActions)."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, username="office", password=PASSWORD):
        """Log in through the form; return the response."""
        self.token = token_of(self.client.get("/admin/login").text)
        answer = self.client.post("/admin/login", data={"username": username, "password": password,
                                                        "csrf_token": self.token})
        if answer.status_code == 302:
            self.token = token_of(self.client.get("/admin/wall").text)   # a new session, a new token
        return answer

    def post(self, path, **data):
        """POST a form with the CSRF token."""
        return self.client.post(path, data=dict(data, csrf_token=self.token))

    def logout(self):
        return self.post("/admin/logout")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(client, users):
    return Actions(client)
