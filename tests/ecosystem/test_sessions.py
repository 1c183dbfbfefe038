"""Sessions in the cache (database 2, alias `sessions`): SESSION_ENGINE
`django.contrib.sessions.backends.cache`. A session is the key
`jobboard:1:django.contrib.sessions.cache<session key>` with a TTL of SESSION_COOKIE_AGE.

Logging in cycles the key (the pre-login key disappears, its data moves to a new key: no
session fixation); logging out flushes (the key disappears).
"""
import pickle
import zlib

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PREFIX = "jobboard:1:django.contrib.sessions.cache"


@pytest.fixture
def db2(raw_redis):
    return raw_redis(2)


@pytest.fixture
def db2_bytes(redis_server):
    """Database 2 without decoding (session values are compressed pickles)."""
    import redis

    import serverctl

    client = redis.Redis(host=serverctl.HOST, port=redis_server.port, db=2)
    yield client
    client.close()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="correct horse")


def login(client, username, password):
    """Logs in through the login form (POST /login/), as a browser does."""
    return client.post("/login/", {"username": username, "password": password})


def session_keys(db2):
    return sorted(db2.scan_iter(match=PREFIX + "*"))


def test_session_cookie_age_is_thirty_days():
    assert settings.SESSION_COOKIE_AGE == 2_592_000
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    assert settings.SESSION_CACHE_ALIAS == "sessions"


def test_login_cycles_the_session_key_and_logout_flushes_it(client, alice, db2, db2_bytes):
    # An anonymous visitor's searches live in their session.
    response = client.get("/api/search/", {"q": "rust"})
    assert response.status_code == 200
    assert response.json()["recent"] == ["rust"]
    anon_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_keys(db2) == [PREFIX + anon_key]
    assert 2_592_000 - 2 <= db2.ttl(PREFIX + anon_key) <= 2_592_000

    response = login(client, "alice", "correct horse")
    assert response.status_code == 302 and response["Location"] == "/"
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != anon_key
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2_592_000
    # cycle_key: the old key is gone, exactly one new key exists, with a fresh full TTL.
    assert session_keys(db2) == [PREFIX + new_key]
    assert 2_592_000 - 2 <= db2.ttl(PREFIX + new_key) <= 2_592_000
    # The data moved with it (and the new session knows the user).
    raw = db2_bytes.get(PREFIX + new_key)
    assert raw[:2] == b"\x78\x9c"  # django-redis: a zlib-compressed pickle of the dict
    data = pickle.loads(zlib.decompress(raw))
    assert data["recent_searches"] == ["rust"]
    assert data["_auth_user_id"] == str(alice.pk)
    assert client.get("/my/applications/").status_code == 200

    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/"  # LOGOUT_REDIRECT_URL
    assert settings.SESSION_COOKIE_NAME not in client.cookies or client.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert session_keys(db2) == []  # flush() deleted it
    assert client.get("/my/applications/").status_code == 302  # back to the login page


def test_login_without_a_prior_session_creates_one_key(client, alice, db2):
    assert session_keys(db2) == []
    login(client, "alice", "correct horse")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_keys(db2) == [PREFIX + key]
    assert 2_592_000 - 2 <= db2.ttl(PREFIX + key) <= 2_592_000


def test_a_wrong_password_keeps_the_visitor_anonymous(client, alice, db2):
    response = login(client, "alice", "wrong")
    assert response.status_code == 200  # the form again, with an error
    assert session_keys(db2) == []
    assert client.get("/my/applications/").status_code == 302


def test_two_users_have_two_sessions(client, alice, django_user_model, db2):
    from django.test import Client

    django_user_model.objects.create_user("bob", password="pw-bob")
    other = Client()
    login(client, "alice", "correct horse")
    login(other, "bob", "pw-bob")
    assert len(session_keys(db2)) == 2
    client.post("/logout/")
    remaining = session_keys(db2)
    assert remaining == [PREFIX + other.cookies[settings.SESSION_COOKIE_NAME].value]


def test_session_survives_a_cache_clear_of_database_1(client, alice, db2):
    """Sessions have their own database: clearing the cache (FLUSHDB on 1) logs nobody out."""
    from django.core.cache import cache

    login(client, "alice", "correct horse")
    cache.clear()
    assert len(session_keys(db2)) == 1
    assert client.get("/my/applications/").status_code == 200


def test_unchanged_session_keeps_its_ttl_running(client, alice, db2):
    """SESSION_SAVE_EVERY_REQUEST = False: a request that does not change the session does not
    rewrite it, so the TTL is the one set at login (we shorten it to see that)."""
    login(client, "alice", "correct horse")
    key = PREFIX + client.cookies[settings.SESSION_COOKIE_NAME].value
    db2.expire(key, 500)
    assert client.get("/my/applications/").status_code == 200
    assert 498 <= db2.ttl(key) <= 500
    # A request that changes the session rewrites it with a full SESSION_COOKIE_AGE.
    client.get("/api/search/", {"q": "x"})  # logged in: stored in Redis, not the session
    assert 498 <= db2.ttl(key) <= 500
    session = client.session
    session["theme"] = "dark"
    session.save()
    assert 2_592_000 - 2 <= db2.ttl(key) <= 2_592_000
