"""The province on one machine (`scripts/province.sh`: PostgreSQL, Redis, three app servers behind HAProxy, two job
workers) behaves as one site whichever server answers, and loses nothing when a server or a worker is killed.

Everything runs over loopback, bounded by counts; the kills come last (the module's tests run in order).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.province import cluster
from tests.province.cluster import Province, api_token, as_json, new_key, served_by, signed_in, with_retries

pytestmark = pytest.mark.province
APPS = (1, 2, 3)
LOAD = 90  # creates sent while an app server is killed
ROUND = 6  # requests that go round the three servers twice


@pytest.fixture(scope="module")
def province() -> Iterator[Province]:
    started = cluster.start(
        JOB_THRESHOLD_ROWS="5", JOB_STALE_SECONDS="4", JOB_HEARTBEAT_SECONDS="1", PROVINCE_APP_WORKERS="1"
    )
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def facts(province: Province) -> dict[str, Any]:
    """What the tests need from the demo, read once through the province's own settings."""
    out = province.manage(
        code=(
            "import json\n"
            "from django.contrib.auth import get_user_model\n"
            "from matters.models import Matter\n"
            "from matters.workflow import Status\n"
            "from org.models import Unit\n"
            "User = get_user_model()\n"
            "User.objects.filter(username='province-lock').delete()\n"
            "User.objects.create_user(username='province-lock', password='province-lock-pass-1')\n"
            "completed = Matter.objects.filter(status=Status.COMPLETED, is_public=True).order_by('pk').first()\n"
            "print(json.dumps({'community': Unit.objects.get(name='长宇社区').pk, 'completed': completed.code}))\n"
        )
    )
    import json

    return dict(json.loads(out.strip().splitlines()[-1]))


def _round(province: Province, path: str, session: requests.Session | None = None) -> list[requests.Response]:
    client = session or requests.Session()
    return [with_retries(lambda: client.get(province.url + path, timeout=30)) for _ in range(ROUND)]


def _count_shown(html: str) -> int:
    found = re.search(r'role="status">\s*([\d,]+) matters?', html)
    assert found, "the list shows its count"
    return int(found.group(1).replace(",", ""))


# --- one site, whichever server answers --------------------------------------------------------------------------


def test_the_proxy_sends_requests_to_the_three_app_servers_in_turn(province: Province) -> None:
    answers = _round(province, "/")
    assert {r.status_code for r in answers} == {200}
    assert {served_by(r) for r in answers} == {"app1", "app2", "app3"}


def test_a_session_signed_in_through_one_server_is_signed_in_on_every_server(province: Province) -> None:
    session = signed_in(province.url, "coordinator")
    answers = _round(province, "/workbench/", session)
    assert {r.status_code for r in answers} == {200} and not any("/login/" in r.url for r in answers)
    assert {served_by(r) for r in answers} == {"app1", "app2", "app3"}
    for number in APPS:  # and on each server directly, bypassing the proxy
        assert session.get(province.app_url(number) + "/workbench/", timeout=30).status_code == 200


def test_failed_logins_lock_the_account_whichever_servers_they_reached(province: Province, facts: dict) -> None:
    page = requests.get(province.url + "/login/", timeout=30)
    assert page.status_code == 200
    for attempt in range(5):
        session = requests.Session()
        base = province.app_url(APPS[attempt % 3])
        form = session.get(base + "/login/", timeout=30)
        wrong = session.post(
            base + "/login/",
            data={"username": "province-lock", "password": "wrong", "csrfmiddlewaretoken": cluster.csrf_of(form.text)},
            timeout=30,
            allow_redirects=False,
        )
        assert wrong.status_code == 200
    for number in APPS:  # the right password is now refused on every server
        session = requests.Session()
        base = province.app_url(number)
        form = session.get(base + "/login/", timeout=30)
        locked = session.post(
            base + "/login/",
            data={
                "username": "province-lock",
                "password": "province-lock-pass-1",
                "csrfmiddlewaretoken": cluster.csrf_of(form.text),
            },
            headers={"Accept-Language": "en"},
            timeout=30,
            allow_redirects=False,
        )
        assert locked.status_code != 302, f"app{number} let a locked account in"


def test_the_report_forms_limit_counts_every_server_together(province: Province) -> None:
    statuses = []
    for attempt in range(6):  # PORTAL_SUBMIT_LIMIT is 5 per connection and hour
        session = requests.Session()
        base = province.app_url(APPS[attempt % 3])
        form = session.get(base + "/report/", timeout=30)
        assert form.status_code == 200
        token = re.search(r'name="token" value="([^"]+)"', form.text)
        category = re.search(r'<option value="(\d+)"', form.text)
        assert token and category
        answer = session.post(
            base + "/report/",
            data={
                "csrfmiddlewaretoken": cluster.csrf_of(form.text),
                "token": token.group(1),
                "category": category.group(1),
                "description": f"省级部署测试：第{attempt + 1}条路灯不亮（演示）",
                "place": "长宇新城东门（演示）",
                "consent": "on",
            },
            timeout=30,
            allow_redirects=False,
        )
        statuses.append(answer.status_code)
    assert statuses == [302] * 5 + [429]


def test_a_second_text_message_code_to_the_same_phone_is_refused_by_another_server(
    province: Province, facts: dict
) -> None:
    path = f"/m/{facts['completed']}/rate/code/"
    answers = []
    for number in (1, 2):
        session = requests.Session()
        base = province.app_url(number)
        page = session.get(base + f"/m/{facts['completed']}/rate/", timeout=30)
        assert page.status_code == 200
        answers.append(
            session.post(
                base + path,
                data={"ask-phone": "13900000077", "csrfmiddlewaretoken": cluster.csrf_of(page.text)},
                headers={"Accept-Language": "en"},
                timeout=30,
            )
        )
    assert answers[0].status_code == 200
    assert answers[1].status_code in (400, 429)  # a minute must pass between two codes to one phone


def test_an_idempotency_key_makes_one_matter_whichever_servers_the_repeats_reach(province: Province) -> None:
    token = api_token(province.url, "cadre")
    key = new_key()
    ids = set()
    for number in APPS:
        answer = requests.post(
            province.app_url(number) + "/api/v1/matters/",
            json={"problem": "省级部署测试：同一请求重复发送（演示）", "kind": "livelihood"},
            headers={"Authorization": f"Token {token}", "Idempotency-Key": key},
            timeout=30,
        )
        assert answer.status_code in (200, 201), answer.text
        ids.add(as_json(answer)["id"])
    assert len(ids) == 1
    assert province.sql(
        "SELECT count(*) FROM matters_matter WHERE problem = %s", "省级部署测试：同一请求重复发送（演示）"
    ) == [(1,)]


def test_a_lists_count_is_kept_for_all_servers_for_thirty_seconds(province: Province) -> None:
    first = requests.get(province.app_url(1) + "/lists/problems/", headers={"Accept-Language": "en"}, timeout=30)
    shown = _count_shown(first.text)
    token = api_token(province.url, "cadre")
    created = requests.post(
        province.url + "/api/v1/matters/",
        json={"problem": "省级部署测试：计数缓存（演示）", "kind": "livelihood", "is_public": True},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert created.status_code == 201
    for number in (2, 3):  # the count app1 made is the one the others show: one cache, not one per process
        again = requests.get(
            province.app_url(number) + "/lists/problems/", headers={"Accept-Language": "en"}, timeout=30
        )
        assert _count_shown(again.text) == shown


def test_the_front_pages_figures_are_the_same_on_every_server(province: Province) -> None:
    pages = [requests.get(province.app_url(number) + "/", timeout=30).text for number in APPS]
    figures = [re.findall(r'<p class="display-6 mb-0">\s*([^<]*)</p>', page) for page in pages]
    assert len(figures[0]) == 3 and figures[0] == figures[1] == figures[2]


def test_a_job_started_on_one_server_is_followed_and_downloaded_on_the_others(province: Province) -> None:
    session = signed_in(province.url, "coordinator")
    started = session.get(
        province.app_url(1) + "/matters/lists/download/?list=problems&format=csv", timeout=30, allow_redirects=False
    )
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]  # above JOB_THRESHOLD_ROWS
    job = started.headers["Location"].rstrip("/").split("/")[-1]
    deadline = time.monotonic() + 90
    status = ""
    while time.monotonic() < deadline:
        status = province.sql("SELECT status FROM core_job WHERE id = %s", job)[0][0]
        if status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert status == "done"
    page = session.get(province.app_url(2) + f"/jobs/{job}/", timeout=30)
    assert page.status_code == 200 and f"/jobs/{job}/download/" in page.text
    download = session.get(province.app_url(3) + f"/jobs/{job}/download/", timeout=30)
    assert download.status_code == 200 and len(download.content) > 100  # written by a worker, served by app3


def test_a_photo_uploaded_through_one_server_is_served_by_another(province: Province, facts: dict) -> None:
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(image, "JPEG")
    session = signed_in(province.app_url(1), "cadre")
    form = session.get(province.app_url(1) + "/fieldwork/visits/new/", timeout=30)
    date = re.search(r'name="date"[^>]*value="([\d-]+)"', form.text)
    assert form.status_code == 200 and date
    answer = session.post(
        province.app_url(1) + "/fieldwork/visits/new/",
        data={
            "csrfmiddlewaretoken": cluster.csrf_of(form.text),
            "date": date.group(1),
            "start_time": "21:10",  # the evening: clear of the demo's visits of the day
            "end_time": "21:20",
            "kind": "site_visit",
            "place_kind": "community",
            "community": str(facts["community"]),
            "participants": "3",
            "notes": "省级部署测试：上传照片（演示）",
        },
        files={"photos": ("a.jpg", image.getvalue(), "image/jpeg")},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, re.findall(r'role="alert"><div>([^<]+)', answer.text)
    visit = session.get(province.app_url(1) + answer.headers["Location"], timeout=30)
    photo = re.search(r"/fieldwork/visits/photos/(\d+)/", visit.text)
    assert photo
    served = session.get(province.app_url(3) + photo.group(0), timeout=30)
    assert served.status_code == 200 and served.content[:2] == b"\xff\xd8"


def test_a_periodic_job_runs_once_per_period_with_two_workers(province: Province) -> None:
    deadline = time.monotonic() + 75
    while time.monotonic() < deadline:  # the sweep runs every minute: wait for one period both workers saw
        rows = province.sql("SELECT count(*) FROM core_periodclaim WHERE task = 'core.jobs_sweep'")
        if rows[0][0] >= 1:
            break
        time.sleep(1)
    logs = province.log("worker1") + province.log("worker2")
    ran = re.findall(r"periodic (\S+) (\S+): running", logs)
    assert ran, "the workers ran periodic tasks"
    assert len(ran) == len(set(ran)), "a period of a task ran twice"
    claims = province.sql("SELECT task, period FROM core_periodclaim")
    assert len(claims) == len(set(claims))


# --- killing servers and workers ---------------------------------------------------------------------------------


def test_killing_an_app_server_mid_load_loses_no_acknowledged_request_and_makes_no_double(province: Province) -> None:
    token = api_token(province.url, "cadre")
    keys = [new_key() for _ in range(LOAD)]
    run = new_key()[:8]
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    sent = threading.Semaphore(0)

    def create(index: int) -> None:
        key = keys[index]
        answer = with_retries(
            lambda: requests.post(
                province.url + "/api/v1/matters/",
                json={"problem": f"省级部署测试{run}：负载第{index}条（演示）", "kind": "livelihood"},
                headers={"Authorization": f"Token {token}", "Idempotency-Key": key},
                timeout=30,
            )
        )
        assert answer.status_code in (200, 201), answer.text
        with lock:
            acknowledged[key] = as_json(answer)["id"]
        sent.release()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(create, index) for index in range(LOAD)]
        for _ in range(LOAD // 3):
            sent.acquire(timeout=60)
        province.kill_app(2)  # mid-load: some of its requests are in flight
        for future in futures:
            future.result(timeout=120)
    assert len(acknowledged) == LOAD
    rows = province.sql("SELECT id FROM matters_matter WHERE problem LIKE %s", f"省级部署测试{run}：负载第%")
    assert sorted(row[0] for row in rows) == sorted(acknowledged.values())  # each once, none lost
    answers = _round(province, "/")  # the proxy left the dead server out
    assert {r.status_code for r in answers} == {200} and "app2" not in {served_by(r) for r in answers}


def test_killing_the_worker_running_a_job_loses_no_job(province: Province) -> None:
    import psycopg

    session = signed_in(province.url, "coordinator")
    with psycopg.connect(province.env["DATABASE_URL"]) as blocker:
        # The job reads the matters' units (the page that starts it does not): hold them, so that the job is caught
        # mid-run by the kill.
        blocker.execute("LOCK TABLE matters_matter_units IN ACCESS EXCLUSIVE MODE")
        started = session.get(
            province.url + "/matters/lists/download/?list=tasks&format=csv", timeout=30, allow_redirects=False
        )
        assert started.status_code == 302
        job = started.headers["Location"].rstrip("/").split("/")[-1]
        runner = None
        deadline = time.monotonic() + 60
        while runner is None and time.monotonic() < deadline:
            status, host_pid = province.sql("SELECT status, runner FROM core_job WHERE id = %s", job)[0]
            pids = {province.pid(f"worker{number}"): number for number in (1, 2)}
            if status == "running":
                runner = pids.get(int(host_pid.rsplit(":", 1)[1]))
            time.sleep(0.2)
        assert runner is not None, "one of the two workers took the job"
        province.kill_worker(runner)
        blocker.rollback()
    time.sleep(6)  # past JOB_STALE_SECONDS: the dead worker's heartbeat is stale
    out = province.manage("jobs_sweep")
    assert f"queued again: {job}" in out or f"重新排队：{job}" in out
    deadline = time.monotonic() + 90
    status = ""
    while time.monotonic() < deadline:
        status, attempts = province.sql("SELECT status, attempts FROM core_job WHERE id = %s", job)[0]
        if status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert (status, attempts) == ("done", 2)  # run again, to the end, by the other worker
