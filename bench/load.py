"""Load benchmark: many logged-in users of every role against gunicorn + a Celery PDF worker.

Run: `.venv/bin/python bench/load.py [--users 50] [--duration 120] [--lsgs 169] [--years 5]`
(PostgreSQL from DATABASE_URL, Redis from REDIS_URL or database BENCH_REDIS_DB, else 15).

It creates its own scratch database (DATABASE_URL's name + "_bench_load"), seeds it like the
programme in use (adopted plans with monthly reports for every LSG and year, drafts of 40 measures
being written, plans waiting for review), starts gunicorn with the project's gunicorn.conf.py
(DEBUG off) on a free port of 127.0.0.1 and the Celery workers as the Procfile does (the PDF worker
at nice 10, one render at a time), then:
1. a single user walks every page type alone (the single-user figures);
2. `--users` simulated users (coordinators editing a measure, officers reviewing, members, experts,
   an administrator; 1-4 s between clicks; some ask for PDFs), logged in beforehand (a log-in's
   password hash is not a page), for `--duration` seconds, beside the same single user walking
   every page type again.
Requests go to 127.0.0.1 only; every loop is bounded by the duration, and the processes it started
are stopped and the database dropped at the end. Prints requests/s, CPU per request (from /proc
of the gunicorn processes), a per-page table, the PDFs asked under load and their time to done,
then one line of JSON.
"""

# ruff: noqa: S311 - simulated people's clicks, not secrets
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from _setup import ROOT, ThrowawayDatabase, configure

# Never Redis database 0 (a developer's or the app's own): BENCH_REDIS_DB, else 15.
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '15')}")
configure()

HOST = "127.0.0.1"  # loopback only
PASSWORD = "bench-load-password-1"  # noqa: S105 - the scratch database's made-up people
BIN = Path(sys.executable).parent
AIM_RATIO = 5.0
AIM_PDF_S = 15.0


# --- Seeding ------------------------------------------------------------------------------------------


def seed(lsg_count: int, years: int) -> dict:
    """The programme at its size, and the people who use it. Returns who sees what."""
    from dashboard import seed as seed_programme
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone
    from plan_page import seed_plan

    from jmu_planner.access import GlobalRole, Role
    from plans.models import Measure, OperationalPlan
    from reporting.models import Report
    from stakeholders.models import JMU, LSG, RoleAssignment, User

    lsgs = list(LSG.objects.order_by("code")[:lsg_count])
    this_year = timezone.localdate().year
    started = time.perf_counter()
    counts = seed_programme(lsgs, list(range(this_year - years + 1, this_year + 1)))
    jmus = {j.lsg_id: j for j in JMU.objects.filter(lsg__in=lsgs)}
    # Drafts for next year being written (editable) and some waiting for the officers' review.
    writing, waiting = lsgs[:22], lsgs[22:32]
    drafts = {lsg.pk: seed_plan(jmus[lsg.pk], this_year + 1, 40) for lsg in writing}
    for lsg in waiting:
        plan = seed_plan(jmus[lsg.pk], this_year + 1, 40)
        OperationalPlan.objects.filter(pk=plan.pk).update(status="submitted")
    print(
        f"Seeded in {time.perf_counter() - started:.0f} s: {counts} + {len(writing) + len(waiting)} drafts of 40 measures"
    )

    hashed = make_password(PASSWORD)  # one hash for all: seeding stays quick
    users: list[dict] = []

    def person(name: str, role: str, *, lsg=None, global_role: str = "") -> dict:
        user = User.objects.create(
            username=name,
            password=hashed,
            global_role=global_role,
            is_staff=global_role == GlobalRole.ADMINISTRATOR,
        )
        if lsg is not None and role in ("coordinator", "member", "expert"):
            RoleAssignment.objects.create(user=user, lsg=lsg, role=role)
        entry = {"username": name, "role": role}
        if lsg is not None:
            adopted = (
                OperationalPlan.objects.filter(jmu__lsg=lsg, status="adopted")
                .order_by("-period_start")
                .first()
            )
            entry["adopted_plan"] = adopted.pk
            entry["reports"] = list(
                Report.objects.filter(plan=adopted).order_by("-period_start").values_list("pk", flat=True)[:3]
            )
            if lsg.pk in drafts:
                entry["draft_plan"] = drafts[lsg.pk].pk
                entry["measures"] = list(
                    Measure.objects.filter(plan=drafts[lsg.pk]).values_list("pk", flat=True)[:10]
                )
        return entry

    for n, lsg in enumerate(writing):
        users.append(person(f"coordinator{n}", Role.COORDINATOR, lsg=lsg))
    for n, lsg in enumerate(lsgs[40:52]):
        users.append(person(f"member{n}", Role.MEMBER, lsg=lsg))
    for n, lsg in enumerate(lsgs[52:58]):
        users.append(person(f"expert{n}", Role.EXPERT, lsg=lsg))
    for n in range(12):
        users.append(person(f"officer{n}", "officer", global_role=GlobalRole.PROGRAMME_OFFICER))
    for n in range(2):
        users.append(person(f"admin{n}", "admin", global_role=GlobalRole.ADMINISTRATOR))
    shared = {
        "submitted_plans": list(
            OperationalPlan.objects.filter(status="submitted").values_list("pk", flat=True)
        ),
        "adopted_plans": list(
            OperationalPlan.objects.filter(status="adopted", period_start__year=this_year).values_list(
                "pk", flat=True
            )
        ),
        "reports": list(
            Report.objects.filter(period_start__year=this_year)
            .order_by("?")
            .values_list("pk", flat=True)[:200]
        ),
        "jmus": [j.pk for j in list(jmus.values())[:50]],
        "year": this_year,
    }
    # A database in use has its planner statistics (autovacuum keeps them); one bulk-loaded a moment
    # ago has none, and PostgreSQL then nests loops over thousands of rows (the dashboard's spending
    # query took 190 ms instead of 50).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"users": users, "shared": shared}


# --- HTTP ---------------------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of the first POST form holding `marker` (a field name), as a browser sends them."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker, self.forms, self.current = marker, [], None
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action"), "fields": []}
            self.forms.append(self.current)
        if self.current is None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self.current["fields"].append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "multiple": "multiple" in a, "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            s = self.select
            chosen = s["chosen"] or ([] if s["multiple"] or s["first"] is None else [s["first"]])
            self.current["fields"] += [(s["name"], v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea[1]
            self.current["fields"].append((self.textarea[0], text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.current = None

    def fields(self) -> list[tuple[str, str]]:
        for form in self.forms:
            if any(name == self.marker for name, _ in form["fields"]):
                return form["fields"]
        raise LookupError(self.marker)


class Browser:
    """One person's tab: a kept-alive connection, the cookies, a log of timed requests."""

    def __init__(self, port: int, log: list, lock: threading.Lock):
        self.port, self.log, self.lock = port, log, lock
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict):
        for attempt in range(2):  # a kept-alive connection the server closed: reconnect once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def request(self, page: str, method: str, path: str, data=None, expect=(200,), record=True):
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "jmu-bench-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or [], doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        status, text = 0, ""
        try:
            response, raw = self._send(method, path, body, headers)
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            text = raw.decode("utf-8", "replace")
            location = response.getheader("Location", "")
        except (OSError, http.client.HTTPException) as error:
            location, text = "", repr(error)
        elapsed = (time.perf_counter() - started) * 1000
        ok = status in expect
        if record:
            with self.lock:
                self.log.append((page, elapsed, ok, time.monotonic()))
        if not ok and record:
            print(f"  ! {page} {method} {path}: {status} {text[:120]!r}", flush=True)
        return status, text, location

    def login(self, username: str) -> bool:
        _, page, _ = self.request("login", "GET", "/accounts/login/", record=False)
        parser = FormParser("csrfmiddlewaretoken")
        parser.feed(page)
        fields = [(k, v) for k, v in parser.fields() if k not in ("username", "password")]
        status, _, _ = self.request(
            "login",
            "POST",
            "/accounts/login/",
            [*fields, ("username", username), ("password", PASSWORD)],
            expect=(302,),
        )
        return status == 302

    def close(self):
        if self.conn is not None:
            self.conn.close()


# --- What people do ----------------------------------------------------------------------------------


def pages_for(user: dict, shared: dict, rng: random.Random) -> list[tuple[str, str]]:
    """(page type, path) a person of this role opens; measure saves and PDFs are done apart. A
    page type names the role: an officer's plan list holds every plan, a coordinator's a few."""
    year, role = shared["year"], user["role"]
    if role == "coordinator":
        pages = [
            ("home", "/"),
            ("plan_list", "/plans/"),
            ("plan_page", f"/plans/{user['draft_plan']}/"),
            ("measure_form", f"/plans/measures/{rng.choice(user['measures'])}/edit/"),
            ("report_list", "/reports/"),
            ("report_page", f"/reports/{user['reports'][0]}/"),
            ("adopted_plan_page", f"/plans/{user['adopted_plan']}/"),
        ]
    elif role in ("member", "expert"):
        pages = [
            ("home", "/"),
            ("adopted_plan_page", f"/plans/{user['adopted_plan']}/"),
            ("report_page", f"/reports/{rng.choice(user['reports'])}/"),
            ("report_list", "/reports/"),
            ("plan_list", "/plans/"),
        ]
    elif role == "officer":
        pages = [
            ("home", "/"),
            ("dashboard", f"/dashboard/?year={year}"),
            ("review_queue", "/plans/review/"),
            ("report_review_queue", "/dashboard/review/reports/"),
            ("plan_page", f"/plans/{rng.choice(shared['submitted_plans'])}/"),
            ("adopted_plan_page", f"/plans/{rng.choice(shared['adopted_plans'])}/"),
            ("report_page", f"/reports/{rng.choice(shared['reports'])}/"),
            ("report_list", "/reports/"),
            ("plan_list", "/plans/"),
        ]
    else:
        pages = [
            ("home", "/"),
            ("admin_jmu", f"/admin/stakeholders/jmu/{rng.choice(shared['jmus'])}/change/"),
            ("dashboard", f"/dashboard/?year={year}"),
        ]
    return [(f"{page} [{role}]", path) for page, path in pages]


def save_measure(browser: Browser, measure: int, counter: int) -> None:
    """Open a measure, change its title, save: the coordinator's everyday write."""
    path = f"/plans/measures/{measure}/edit/"
    status, page, _ = browser.request("measure_form", "GET", path)
    if status != 200:
        return
    parser = FormParser("lock_version")
    parser.feed(page)
    fields = [(k, (f"Mera {measure}: izmena {counter}" if k == "title" else v)) for k, v in parser.fields()]
    browser.request("measure_save", "POST", path, fields, expect=(302,))


def ask_pdf(browser: Browser, plan: int, asked: list, lock: threading.Lock) -> None:
    status, _, location = browser.request(
        "pdf_ask", "POST", f"/reports/documents/plan/{plan}/", [], expect=(302,)
    )
    if status == 302:
        with lock:
            asked.append((plan, time.time()))
        browser.request("documents", "GET", urllib.parse.urlsplit(location).path or location)


def simulate(
    user: dict, browser: Browser, shared: dict, deadline: float, asked: list, lock, pdf_share: float
):
    """One person, logged in already, clicking until the deadline."""
    rng = random.Random(user["username"])
    try:
        time.sleep(rng.uniform(0, 4))  # people start clicking over the first seconds, not at once
        counter = 0
        while time.monotonic() < deadline:
            counter += 1
            roll = rng.random()
            if user["role"] == "coordinator" and roll < 0.25:
                save_measure(browser, rng.choice(user["measures"]), counter)
            elif user["role"] in ("coordinator", "officer") and roll > 1 - pdf_share:
                plan = user.get("draft_plan") or rng.choice(shared["submitted_plans"])
                ask_pdf(browser, plan, asked, lock)
            else:
                page, path = rng.choice(pages_for(user, shared, rng))
                browser.request(page, "GET", path)
            time.sleep(min(rng.uniform(1, 4), max(0.0, deadline - time.monotonic())))
    finally:
        browser.close()


def walk(
    sessions: dict[str, Browser],
    walker: dict,
    shared: dict,
    rounds: int | None,
    deadline: float,
    think: float,
):
    """The single user: every page type of every role in turn, `rounds` times or until the deadline."""
    coordinator = sessions["coordinator"]
    done = 0
    while (rounds is None or done < rounds) and time.monotonic() < deadline:
        rng = random.Random(done)  # the same pages in each walk
        for role, browser in sessions.items():
            for page, path in pages_for(walker[role], shared, rng):
                browser.request(page, "GET", path)
                time.sleep(think)
        save_measure(coordinator, walker["coordinator"]["measures"][done % 10], done)
        time.sleep(think)
        status, _, location = coordinator.request(
            "pdf_ask",
            "POST",
            f"/reports/documents/plan/{walker['coordinator']['draft_plan']}/",
            [],
            expect=(302,),
        )
        if status == 302:
            coordinator.request("documents", "GET", urllib.parse.urlsplit(location).path)
        time.sleep(think)
        done += 1


# --- Processes ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(roots: dict[str, int]) -> dict[str, float]:
    """User + system CPU of each named process and its live children (gunicorn's master and
    workers, a Celery worker's), of PostgreSQL's processes and of this process (the simulated
    users): where the machine's cores went."""
    tick = os.sysconf("SC_CLK_TCK")
    by_pid = {pid: name for name, pid in roots.items()}
    total = dict.fromkeys([*roots, "postgresql", "load generator"], 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
            fields = rest.split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        name = by_pid.get(pid) or by_pid.get(ppid)
        if name is None and comm.endswith("(postgres"):
            name = "postgresql"
        elif name is None and pid == os.getpid():
            name = "load generator"
        if name is not None:
            ticks = int(fields[11]) + int(fields[12])
            if pid in by_pid:  # with its children that have ended (a Celery worker replaces its own)
                ticks += int(fields[13]) + int(fields[14])
            total[name] += ticks / tick
    return total


def machine_ticks() -> tuple[int, int]:
    """The whole machine's busy and total CPU ticks so far (/proc/stat), whoever used them."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    total = sum(values[:8])  # guest time is already counted in user time
    return total - idle, total


def start(name: str, command: list[str], env: dict, logs: Path) -> subprocess.Popen:
    out = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)  # its own session: the master and the workers it started
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz/ in time")


# --- Figures ------------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def table(load: list, single: list) -> dict:
    by_page: dict[str, list] = defaultdict(list)
    for page, ms, ok, _ in load:
        by_page[page].append((ms, ok))
    alone: dict[str, list] = defaultdict(list)
    for page, ms, ok, _ in single:
        if ok:
            alone[page].append(ms)
    rows = {}
    for page in sorted(set(by_page) | set(alone)):
        times = [ms for ms, ok in by_page[page] if ok]
        row = {
            "count": len(by_page[page]),
            "errors": sum(1 for _, ok in by_page[page] if not ok),
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(p95(times), 1) if times else None,
            "single_p95_ms": round(p95(alone[page]), 1) if alone[page] else None,
        }
        row["ratio"] = (
            round(row["p95_ms"] / row["single_p95_ms"], 2) if row["p95_ms"] and row["single_p95_ms"] else None
        )
        rows[page] = row
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--lsgs", type=int, default=169, help="LSGs with plans and reports")
    parser.add_argument("--years", type=int, default=5, help="years of adopted plans and monthly reports")
    parser.add_argument("--single-rounds", type=int, default=8, help="walks of the single user alone")
    parser.add_argument("--pdf-share", type=float, default=0.015, help="share of clicks that ask for a PDF")
    args = parser.parse_args()
    assert 0 < args.duration <= 3600 and 0 < args.users <= 500  # bounded, always

    from django.db import connection

    from jmu_planner.celery import app as celery_app
    from reporting.models import Document

    with ThrowawayDatabase("load"), tempfile.TemporaryDirectory(prefix="jmu-bench-load-") as tmp:
        world = seed(args.lsgs, args.years)
        users, shared = world["users"], world["shared"]
        db = connection.settings_dict
        connection.close()  # the server's processes are the ones talking to it now
        port = free_port()
        logs = Path(tmp)
        env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}",
            "DJANGO_DEBUG": "false",
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "MEDIA_ROOT": str(logs / "media"),
            "GUNICORN_BIND": f"{HOST}:{port}",
            "LOG_LEVEL": "WARNING",
        }
        with celery_app.connection_for_write() as conn:
            for queue in ("pdf", "celery"):
                conn.default_channel.queue_purge(queue)
        processes = []
        try:
            web = start(
                "gunicorn", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "jmu_planner.wsgi"], env, logs
            )
            processes.append(web)
            celery = [
                str(BIN / "celery"),
                "-A",
                "jmu_planner",
                "worker",
                "-l",
                "warning",
                "--max-tasks-per-child",
                "20",
            ]
            processes.append(
                start(
                    "pdf-worker",
                    ["nice", "-n", "10", *celery, "-Q", "pdf", "-n", "pdf@%h", "--concurrency", "1"],
                    env,
                    logs,
                )
            )
            processes.append(
                start("worker", [*celery, "-Q", "celery", "-n", "celery@%h", "--concurrency", "1"], env, logs)
            )
            wait_healthy(port)
            print(
                f"gunicorn on {HOST}:{port} (gunicorn.conf.py), a PDF worker (nice 10, concurrency 1), a worker"
            )

            lock = threading.Lock()
            single_log: list = []
            walker_user = next(u for u in users if u["role"] == "coordinator")
            walker = {
                role: next(u for u in users if u["role"] == role)
                for role in ("coordinator", "member", "expert", "officer", "admin")
            }
            sessions = {}
            for role, person in walker.items():
                sessions[role] = Browser(port, single_log, lock)
                assert sessions[role].login(person["username"]), person
            walk(sessions, walker, shared, 1, time.monotonic() + 300, 0.2)  # warm-up: not counted
            single_log.clear()
            walk(sessions, walker, shared, args.single_rounds, time.monotonic() + 600, 0.3)
            single = list(single_log)
            print(
                f"Single user alone: {len(single)} requests over {args.single_rounds} walks of every page type"
            )
            time.sleep(20)  # the walker's PDFs leave the worker before the load starts

            load_log: list = []
            asked: list = []
            others = [u for u in users if u is not walker_user]
            random.Random(1).shuffle(others)  # every role in the crowd, whatever --users is
            others = others[: args.users - 1]
            # Everyone logs in first, one after another: a log-in is a password hash (PBKDF2, about
            # half a second of CPU by design), and 49 of them in the first seconds of the measured
            # period would measure a login storm, not people clicking through pages.
            login_log: list = []
            crowd = []
            for u in others:
                browser = Browser(port, login_log, lock)
                assert browser.login(u["username"]), u
                browser.log = load_log
                crowd.append((u, browser))
            logins = [ms for page, ms, ok, _ in login_log if page == "login" and ok]
            print(
                f"{len(logins)} users logged in first: a log-in takes {statistics.median(logins):.0f} ms (median)"
            )
            time.sleep(10)  # the log-ins' CPU settles before the measured period
            started_at = time.time()
            deadline = time.monotonic() + args.duration
            for browser in sessions.values():
                browser.log = load_log
            roots = {"gunicorn": web.pid, "pdf worker": processes[1].pid, "worker": processes[2].pid}
            cpu_before, wall_before, ticks_before = cpu_seconds(roots), time.monotonic(), machine_ticks()
            threads = [
                threading.Thread(
                    target=simulate, args=(u, browser, shared, deadline, asked, lock, args.pdf_share)
                )
                for u, browser in crowd
            ]
            threads.append(
                threading.Thread(target=walk, args=(sessions, walker, shared, None, deadline, 1.0))
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.duration + 120)
            cpu_after, wall = cpu_seconds(roots), time.monotonic() - wall_before
            cpu = {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_after}
            busy, total = (
                after - before for after, before in zip(machine_ticks(), ticks_before, strict=True)
            )
            machine_busy = round(100 * busy / max(total, 1), 1)
            cpu_used = cpu["gunicorn"]
            for browser in sessions.values():
                browser.close()
            with open("/proc/loadavg") as f:
                loadavg = f.read().split()[:3]

            # PDFs asked under load: wait (bounded) for the worker to finish them.
            pdf_deadline = time.monotonic() + 180
            documents = Document.objects.filter(
                created_at__gte=datetime.datetime.fromtimestamp(started_at, datetime.UTC)
            )
            while (
                documents.filter(status__in=["queued", "rendering"]).exists()
                and time.monotonic() < pdf_deadline
            ):
                time.sleep(2)
            done = [
                (d.finished_at - d.created_at).total_seconds()
                for d in documents.filter(status="done", finished_at__isnull=False)
            ]
            not_done = documents.exclude(status="done").count()
            connection.close()
        finally:
            for process in processes:
                stop(process)

        requests = len(load_log)
        rows = table(load_log, single)
        errors = sum(r["errors"] for r in rows.values())
        print(
            f"\nLoad: {args.users} users for {args.duration} s; {requests} requests, {requests / wall:.1f} requests/s"
        )
        print(
            f"gunicorn CPU: {cpu_used:.1f} s = {1000 * cpu_used / max(requests, 1):.1f} ms per request; load average {' '.join(loadavg)}"
        )
        print(
            f"CPU over the {wall:.0f} s ({os.cpu_count()} cores, {os.cpu_count() * wall:.0f} core-seconds): "
            + ", ".join(f"{name} {seconds} s" for name, seconds in cpu.items())
            + f"; the machine was busy {machine_busy} % of the time"
        )
        print(f"{'page':<22}{'count':>7}{'errors':>8}{'median':>9}{'p95':>9}{'single p95':>12}{'ratio':>7}")
        for page, r in rows.items():
            print(
                f"{page:<22}{r['count']:>7}{r['errors']:>8}{r['median_ms'] or '-':>9}{r['p95_ms'] or '-':>9}"
                f"{r['single_p95_ms'] or '-':>12}{r['ratio'] or '-':>7}"
            )
        pdf = {
            "asked": len(done) + not_done,
            "done": len(done),
            "not_done": not_done,
            "median_s": round(statistics.median(done), 1) if done else None,
            "max_s": round(max(done), 1) if done else None,
        }
        print(
            f"PDFs asked under load: {pdf['asked']}, done {pdf['done']}; time to done median {pdf['median_s']} s, max {pdf['max_s']} s"
        )
        worst = max((r["ratio"] for r in rows.values() if r["ratio"]), default=None)
        aims = {
            "no_errors": errors == 0,
            "p95_within_5x_single": worst is not None and worst <= AIM_RATIO,
            "pdfs_within_15s": bool(done) and not_done == 0 and max(done) <= AIM_PDF_S,
        }
        for aim, met in aims.items():
            print(f"Aim {aim}: {'met' if met else 'NOT met'}")
        print(
            json.dumps(
                {
                    "users": args.users,
                    "duration_s": args.duration,
                    "requests": requests,
                    "requests_per_s": round(requests / wall, 2),
                    "cpu_ms_per_request": round(1000 * cpu_used / max(requests, 1), 1),
                    "cpu_s": cpu,
                    "machine_busy_pct": machine_busy,
                    "errors": errors,
                    "worst_p95_ratio": worst,
                    "loadavg": loadavg,
                    "pages": rows,
                    "pdf": pdf,
                    "aims": aims,
                }
            )
        )


if __name__ == "__main__":
    sys.exit(main())
