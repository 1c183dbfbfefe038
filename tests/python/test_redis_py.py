"""redis-py 8 against the server, in RESP2 and RESP3 (the `protocol` fixture), with the
pure-Python parsers. Each test asserts what Redis 7.2 does; `run.sh --reference` runs them
against a real redis-server to prove it.

The handshake tests follow the client census (/work/shared/design/client-census.md §0, §1.1):
redis-py 8 opens every connection with `HELLO 3` (or `HELLO 3 AUTH default <pw>`), then
`CLIENT MAINT_NOTIFICATIONS ...` (errors tolerated), `CLIENT SETNAME` when a name is
configured (must be +OK), `CLIENT SETINFO LIB-NAME/LIB-VER` (errors ignored), `SELECT`.
"""

import pytest
import redis

from conftest import admin_client, make_client

# --------------------------------------------------------------------------------------------
# Handshake
# --------------------------------------------------------------------------------------------


def test_default_client_speaks_resp3_and_gets_none_for_missing_keys(servers):
    # No protocol argument: redis-py 8 sends HELLO 3. A `$-1` null would make the
    # pure-Python RESP3 parser block until the socket timeout here.
    r = make_client(servers.port, None)
    hello = r.execute_command("HELLO")
    assert hello["proto"] == 3
    assert r.get("missing") is None
    assert r.mget("missing", "missing2") == [None, None]


def test_hello_reply_fields(r, protocol, expected_version):
    hello = r.execute_command("HELLO", protocol)
    if protocol == 2:
        # A flat array of 14 in RESP2.
        assert isinstance(hello, list) and len(hello) == 14
        hello = dict(zip(hello[::2], hello[1::2]))
    assert list(hello) == ["server", "version", "proto", "id", "mode", "role", "modules"]
    assert hello["server"] == "redis"
    assert hello["version"] == expected_version
    assert hello["proto"] == protocol
    assert isinstance(hello["id"], int) and hello["id"] > 0
    assert hello["mode"] == "standalone"
    assert hello["role"] == "master"
    assert hello["modules"] == []


@pytest.mark.redis72
def test_handshake_records_client_setinfo(r, protocol):
    # redis-py sends CLIENT SETINFO LIB-NAME redis-py / LIB-VER <version> on connect.
    info = r.client_info()
    assert info["lib-name"] == "redis-py"
    assert info["lib-ver"] == redis.__version__
    assert info["resp"] == str(protocol)


@pytest.mark.redis72
def test_client_setinfo_accepts_celery_style_lib_name(r):
    # Celery sets LIB-NAME to `redis-py(celery_v5.6.2)`.
    assert r.client_setinfo("LIB-NAME", "redis-py(celery_v5.6.2)") is True
    assert r.client_setinfo("LIB-VER", "8.1.0") is True
    assert r.client_info()["lib-name"] == "redis-py(celery_v5.6.2)"


def test_client_name_from_pool_is_set_with_client_setname(servers, protocol):
    # kombu `client_name`, Celery `redis_client_name`: CLIENT SETNAME must reply +OK, or the
    # connection fails with "Error setting client name".
    r = make_client(servers.port, protocol, client_name="celery-worker")
    assert r.ping() is True
    assert r.client_getname() == "celery-worker"


def test_select_from_pool_db(servers, protocol):
    r11 = make_client(servers.port, protocol, db=11)
    r0 = make_client(servers.port, protocol)
    assert r11.set("k", "in11") is True
    assert r0.get("k") is None
    assert r11.get("k") == "in11"
    assert admin_client(servers.port, db=11).dbsize() == 1


def test_password_handshake(servers, protocol):
    # RESP3: HELLO 3 AUTH default <pw>; RESP2: AUTH <pw>.
    r = make_client(servers.auth_port, protocol, password=servers.password)
    assert r.ping() is True
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    assert r.get("missing") is None


def test_wrong_password_raises_authentication_error(servers, protocol):
    r = make_client(servers.auth_port, protocol, password="wrong")
    with pytest.raises(redis.AuthenticationError):
        r.ping()


def test_no_password_raises_noauth_on_protected_server(servers):
    # RESP2 without a password: the first command gets -NOAUTH.
    r = make_client(servers.auth_port, 2)
    with pytest.raises(redis.AuthenticationError, match="Authentication required"):
        r.get("k")


def test_password_against_server_without_password(servers, protocol):
    r = make_client(servers.port, protocol, password="anything")
    if protocol == 3:
        # HELLO 3 AUTH default <anything>: the default user is nopass, any password works.
        assert r.ping() is True
    else:
        # AUTH <pw> with no password configured is an error.
        with pytest.raises(redis.AuthenticationError):
            r.ping()


# --------------------------------------------------------------------------------------------
# Strings and keys
# --------------------------------------------------------------------------------------------


def test_ping_and_echo(r):
    assert r.ping() is True
    assert r.echo("hello") == "hello"


def test_set_get_and_missing_key(r):
    assert r.set("k", "v") is True
    assert r.get("k") == "v"
    assert r.get("missing") is None


def test_set_nx_px_as_redis_py_sends_it(r):
    # redis-py >= 7.1 sends `SET k v NX PX ms`.
    assert r.set("lock", "token", nx=True, px=100000) is True
    assert r.set("lock", "other", nx=True, px=100000) is None
    assert r.get("lock") == "token"
    assert 99000 <= r.pttl("lock") <= 100000
    assert r.set("lock", "new", xx=True, ex=50) is True
    assert 49 <= r.ttl("lock") <= 50


def test_set_get_option(r):
    assert r.set("k", "v1", get=True) is None
    assert r.set("k", "v2", get=True) == "v1"
    assert r.get("k") == "v2"


def test_setex_like_django_cache_set(r):
    assert r.set(":1:k", "pickled", ex=300) is True
    assert 299 <= r.ttl(":1:k") <= 300


def test_expire_and_ttl(r):
    assert r.set("k", "v") is True
    assert r.ttl("k") == -1
    assert r.ttl("missing") == -2
    assert r.expire("k", 100) is True
    assert 99 <= r.ttl("k") <= 100
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.expire("missing", 100) is False


def test_expire_zero_deletes_key(r):
    # Django `cache.touch(k, 0)`: EXPIRE k 0 must return 1 and remove the key.
    assert r.set("k", "v") is True
    assert r.expire("k", 0) is True
    assert r.exists("k") == 0
    assert r.get("k") is None


def test_incr_incrby_decr(r):
    assert r.incr("n") == 1
    assert r.incrby("n", 10) == 11
    assert r.incr("n", -2) == 9
    assert r.decr("n") == 8
    assert r.get("n") == "8"


def test_incr_keeps_ttl(r):
    assert r.set("n", 5, ex=100) is True
    assert r.incr("n") == 6
    assert 99 <= r.ttl("n") <= 100


def test_incr_on_non_integer_raises(r):
    r.set("s", "abc")
    with pytest.raises(redis.ResponseError, match="^value is not an integer or out of range$"):
        r.incr("s")
    with pytest.raises(redis.ResponseError, match="^value is not an integer or out of range$"):
        r.incrby("s", 5)


def test_mget_with_missing_keys(r):
    r.mset({"a": "1", "b": "2"})
    assert r.mget("a", "missing", "b") == ["1", None, "2"]
    assert r.mget(["missing"]) == [None]


def test_delete_and_exists(r):
    r.mset({"a": "1", "b": "2", "c": "3"})
    assert r.exists("a", "b", "missing") == 2
    assert r.delete("a", "b", "missing") == 2
    assert r.exists("a", "b") == 0
    assert r.delete("missing") == 0


def test_dbsize_and_flushdb(r):
    r.mset({"a": "1", "b": "2"})
    assert r.dbsize() == 2
    assert r.flushdb() is True
    assert r.dbsize() == 0


def test_type(r):
    r.set("s", "v")
    assert r.type("s") == "string"
    assert r.type("missing") == "none"


def test_binary_keys_and_values(rb):
    # kombu's priority queues use the separator \x06\x16 in key names; values are pickles.
    key = b"celery\x06\x163"
    value = bytes(range(256)) + b"\r\n\x00"
    assert rb.set(key, value) is True
    assert rb.get(key) == value
    assert rb.get(b"celery\x06\x16") is None
    assert rb.mget([key, b"celery"]) == [value, None]


def test_one_megabyte_value(rb):
    value = bytes(i % 251 for i in range(1024 * 1024))
    assert rb.set("big", value) is True
    assert rb.get("big") == value


def test_scan_iter_with_match_and_count(r):
    wanted = {f"pfx:{i}" for i in range(150)}
    other = {f"other:{i}" for i in range(50)}
    r.mset({k: "v" for k in wanted | other})
    # SCAN may return a key more than once, never miss one.
    assert set(r.scan_iter(match="pfx:*", count=10)) == wanted
    assert set(r.scan_iter(count=1000)) == wanted | other
    assert set(r.scan_iter(match="nomatch*")) == set()


def test_info_server_reports_redis_version(r, expected_version):
    # INFO is a verbatim string in RESP3; redis-py parses both forms into a dict.
    info = r.info("server")
    assert info["redis_version"] == expected_version
    assert info["redis_mode"] == "standalone"


# --------------------------------------------------------------------------------------------
# Pipelines
# --------------------------------------------------------------------------------------------


def test_pipeline_without_transaction(r):
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"k{i}", i)
    pipe.incr("counter").incr("counter").get("k42").mget("k1", "missing").expire("k0", 0).exists("k0")
    results = pipe.execute()
    assert results[:100] == [True] * 100
    assert results[100:] == [1, 2, "42", ["1", None], True, 0]


def test_pipeline_without_transaction_keeps_going_after_an_error(r):
    r.set("s", "abc")
    pipe = r.pipeline(transaction=False)
    pipe.set("a", 1).incr("s").get("a")
    results = pipe.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], redis.ResponseError)
    assert str(results[1]) == "value is not an integer or out of range"
    assert results[2] == "1"


def test_pipeline_with_transaction(r):
    # redis-py's default pipeline is MULTI ... EXEC (Django set_many, kombu, Celery).
    pipe = r.pipeline()  # transaction=True
    pipe.set("a", 1).incr("a").mget("a", "missing").expire("a", 0)
    assert pipe.execute() == [True, 2, ["2", None], True]
    assert r.exists("a") == 0


def test_unknown_subcommand_is_not_charged_to_the_container(servers):
    """redis-py 8 sends `CLIENT MAINT_NOTIFICATIONS` on connect, which Redis 7.x does not know:
    the error must not appear as a rejected call of CLIENT in commandstats (Redis charges a
    rejection only to a command it found; an unknown subcommand leaves none)."""
    admin = admin_client(servers.port)
    admin.config_resetstat()
    with pytest.raises(redis.ResponseError, match="unknown subcommand 'FOO'. Try CLIENT HELP."):
        admin.execute_command("CLIENT", "FOO")
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'client|kill' command"):
        admin.execute_command("CLIENT", "KILL")
    stats = admin.info("commandstats")
    # The arity error is charged to the subcommand it names; the unknown one to nothing.
    assert "cmdstat_client" not in stats
    assert stats["cmdstat_client|kill"]["rejected_calls"] == 1
    assert admin.info("errorstats")["errorstat_ERR"]["count"] == 2
