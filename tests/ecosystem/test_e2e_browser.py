"""The newcomer's flow in a real headless browser (Debian's chromium and chromium-driver):
open the job list served by Daphne, log in, open a job, apply, and see the WebSocket
notification that a real Celery worker sent through the Channels layer appear in the page.
Runs once per Channels layer (core, pubsub); saves a screenshot to
<repo>/target/e2e/notification-<server>-<set>.png (core) and
notification-<server>-<set>-pubsub.png (pubsub).

After the flow, raw clients check that every role used its database on the server under test:
INFO keyspace lists db0 (Celery), db1 (cache), db2 (sessions), db3 (rate limit) and, with the
core layer, db4 (the user's group); the pubsub layer keeps no keys, so there CLIENT LIST shows
Daphne's subscribed connection on db 4. INFO commandstats (calls made during the flow) shows
each role's commands.
"""
import json
import os
import re
import shutil
import tempfile

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model

import procs_channels
import serverctl
from conftest import ROOT
from jobs.consumers import user_group
from jobs.models import Application, Employer, Job
from jobs.views import application_message

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 30  # seconds for any one step in the page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
        reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian: apt-get install chromium chromium-driver)",
    ),
]


@pytest.fixture(scope="module", params=["core", "pubsub"])
def stack(request, redis_server, django_db_setup):
    """Daphne and a Celery worker on the same Channels layer (core, then pubsub)."""
    with procs_channels.channels_stack(request.param) as s:
        yield s


@pytest.fixture
def browser():
    """A headless Chromium through chromedriver, with a fresh profile; always quit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ferrodis-e2e-chromium.")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--window-size=1100,800",
    ):
        options.add_argument(arg)
    log = os.path.join(os.environ.get("ECOSYSTEM_WORK") or profile, "chromedriver.log")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=log), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def command_calls(server: redis.Redis) -> dict:
    """INFO commandstats as {command: calls}, e.g. {"lpush": 3, "client|list": 1}."""
    return {re.sub(r"^cmdstat_", "", k): v["calls"] for k, v in server.info("commandstats").items()}


def raw(db: int) -> redis.Redis:
    """A plain client of the server under test on database `db` (decoded strings)."""
    return redis.Redis(host=serverctl.HOST, port=int(settings.REDIS_PORT), db=db, decode_responses=True)


@pytest.mark.django_db(transaction=True)
def test_apply_in_the_browser_shows_the_websocket_notification(stack, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    user = get_user_model().objects.create_user("newcomer", password="newcomer-password")
    acme = Employer.objects.create(name="Acme", city="Berlin")
    Job.objects.create(employer=acme, title="Backend engineer", salary=70000)
    job = Job.objects.create(employer=acme, title="Site reliability engineer", salary=80000)
    server = raw(0)
    calls_before = command_calls(server)  # the assertions below count this flow's calls
    wait = WebDriverWait(browser, WAIT)

    # The job list, anonymous.
    browser.get(stack.base_url + "/")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#jobs a.job")]
    assert titles == ["Site reliability engineer", "Backend engineer"]

    # Log in through the form; back on the job list, the notification widget connects.
    browser.find_element(By.ID, "login-link").click()
    wait.until(EC.presence_of_element_located((By.ID, "id_username"))).send_keys("newcomer")
    browser.find_element(By.ID, "id_password").send_keys("newcomer-password")
    browser.find_element(By.ID, "login").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "whoami"), "newcomer"))
    wait.until(EC.text_to_be_present_in_element((By.ID, "socket-state"), "connected"))

    # Open the job and apply; the page stays put and the notification arrives in it.
    browser.find_element(By.LINK_TEXT, "Site reliability engineer").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "job-title"), "Site reliability engineer"))
    browser.find_element(By.ID, "cover-letter").send_keys("I keep servers up.")
    browser.find_element(By.ID, "apply").click()
    expected = application_message("Site reliability engineer")
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#notifications li.notification"), expected))
    notes = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#notifications li.notification")]
    assert notes == [expected]
    assert browser.find_element(By.ID, "apply-status").text == "You applied to Site reliability engineer."
    assert browser.current_url == f"{stack.base_url}/jobs/{job.pk}/"
    assert Application.objects.filter(job=job, user=user, cover_letter="I keep servers up.").count() == 1

    shots = os.path.join(ROOT, "target", "e2e")
    os.makedirs(shots, exist_ok=True)
    name = f"notification-{os.environ.get('ECOSYSTEM_SERVER', 'ferrodis')}-{os.environ.get('ECOSYSTEM_SET', 'resp3')}"
    if stack.layer != "core":
        name += f"-{stack.layer}"
    assert browser.save_screenshot(os.path.join(shots, name + ".png"))

    # ─── every role used its database ─────────────────────────────────────────────────────
    keyspace = server.info("keyspace")
    dbs = {int(k[2:]) for k in keyspace}
    assert {0, 1, 2, 3} <= dbs, keyspace
    # The worker stores notify_user's result (its message) after the group_send.
    def notify_result_stored():
        metas = [json.loads(raw(0).get(k) or "{}") for k in raw(0).scan_iter("celery-task-meta-*")]
        return any(m.get("status") == "SUCCESS" and m.get("result") == expected for m in metas)

    procs_channels.wait_until(notify_result_stored, WAIT, "the task result in database 0")
    assert any(k.startswith("jobboard:1:views.decorators.cache.") for k in raw(1).scan_iter("jobboard:1:*"))
    assert raw(1).exists(f"jobboard:1:job:{job.pk}") == 1  # cache-aside
    sessions = list(raw(2).scan_iter("jobboard:1:django.contrib.sessions.cache*"))
    assert len(sessions) == 1, sessions
    assert raw(3).get("ratelimit:apply:127.0.0.1") == "1"
    if stack.layer == "core":
        assert 4 in dbs, keyspace
        # While the page is open, its socket's channel is in the user's group (the job list's
        # socket left it when the browser navigated away).
        group = f"jobboard:channels:group:{user_group(user.pk)}"
        procs_channels.wait_until(lambda: raw(4).zcard(group) == 1, WAIT, "one member in the group")
        assert raw(4).zrange(group, 0, -1)[0].startswith("specific.")
    else:
        assert 4 not in dbs, keyspace  # the pubsub layer stores nothing
        subscribed_on_4 = [c for c in server.client_list() if c["db"] == "4" and int(c["sub"]) > 0]
        assert subscribed_on_4, server.client_list()
        channel = f"jobboard:channels__group__{user_group(user.pk)}"
        assert dict(raw(4).pubsub_numsub(channel))[channel] == 1

    after = command_calls(server)
    stats = {k: n - calls_before.get(k, 0) for k, n in after.items()}
    # Celery: the view LPUSHes the task to its queue, the worker waits with BRPOP.
    assert stats.get("lpush", 0) >= 1 and stats.get("brpop", 0) >= 1, stats
    # Cache, sessions: GET/SET; the rate limit: INCRBY (redis-py's incr()) in MULTI/EXEC.
    assert stats.get("get", 0) >= 1 and stats.get("set", 0) >= 1, stats
    assert stats.get("incrby", 0) >= 1 and stats.get("multi", 0) >= 1 and stats.get("exec", 0) >= 1, stats
    if stack.layer == "core":
        # Daphne waits for its channel's messages with BZPOPMIN; group_send is a Lua script.
        assert stats.get("bzpopmin", 0) >= 1, stats
        assert stats.get("eval", 0) + stats.get("evalsha", 0) >= 1, stats
        assert stats.get("zadd", 0) >= 1, stats
    else:
        assert stats.get("subscribe", 0) >= 1 and stats.get("publish", 0) >= 1, stats
