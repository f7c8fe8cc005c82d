"""Mixed load against the app as it runs at scale: gunicorn, PostgreSQL, Redis, one RQ worker.

    python -m bench.load                      # 50 people for 3 minutes on 10,000 users (Locust)
    python -m bench.load --users 20 --minutes 1 --people 2000 --courses 100 --progress 100000
    python -m bench.load --smoke              # a few seconds, small, without Locust (the suite)

`make bench-load` makes the Locust environment (.venv-load, requirements-load.txt: Locust pins
Flask, pytest and packaging apart from the app's) and runs the first line.

The bench makes a throw-away database beside --server (default TEST_DATABASE_URL, else the
local test server; 'sqlite' for a SQLite file), fills it (bench/fill.py: people, courses,
enrolments, lesson progress), adds what the journeys need (bench/load_setup.py: accounts that
log in, final quizzes, a small department, issued passes), starts gunicorn with several
workers and one RQ worker (`app.worker.Worker`) on Redis database 11, and lets the simulated
people of bench/load_tasks.py loose on the loopback address for a bounded time: learners
browse their dashboard, courses and lessons and take and submit quizzes; trainers edit courses
and quizzes; HR exports reports (CSV, XLSX) and issues the passes of the small department as
a bulk job; visitors verify passes. Everyone logs in through the login form.

What is configured for the run: each person has an account of its own and its requests carry
an X-Forwarded-For address of its own (the app runs with PROXY_FIX=1, as behind a reverse
proxy), so the login and verification limits stay as they are and count each person apart;
the limits' Redis keys and the job queue get a prefix of this run.

It prints requests per second, p50/p95/max per page group, the 5xx and other unexpected
answers, and the checks (bench/load_checks.py) that no attempt or pass was lost or
duplicated; it exits 1 on any 5xx, any failed check or when the journeys could not run. The
database, instance folder, processes and Redis keys are removed at the end, on error too.
"""

import argparse
import json
import logging
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

from bench.dashboard import DEFAULT_SERVER, temporary_database

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


@dataclass(frozen=True)
class Sizes:
    users: int = 50  # simulated people at once
    seconds: float = 180
    people: int = 10_000
    courses: int = 500
    progress: int = 1_000_000
    learners: int = 200  # accounts that log in, beyond trainers and HR
    department: int = 8  # people of the department HR issues passes to
    passes: int = 30  # passes issued before the run, for visitors to verify
    quizzes: int = 8  # final quizzes of the first courses
    think: float = 1.0  # scales the pauses between a person's steps
    app_workers: int | None = None  # gunicorn workers; None: as gunicorn.conf.py says
    writes_first: bool = False  # each person's first step writes (short runs)


SMOKE = Sizes(
    users=4, seconds=2, people=100, courses=10, progress=2_000, learners=4, department=3,
    passes=1, quizzes=2, think=0.05, app_workers=2, writes_first=True,
)  # fmt: skip


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _load():
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min), {os.cpu_count()} cores"


def _free_port_check(port):
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is taken; choose another with --port")


def prepare_database(url, instance, sizes, out):
    """Migrate, fill and prepare the database; returns the plan of the journeys."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from bench.fill import fill
    from bench.load_setup import prepare

    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", "REDIS_URL": None}
    )
    started = time.perf_counter()
    level = logging.getLogger().level
    try:
        with app.app_context():
            upgrade()
            logging.getLogger().setLevel(logging.WARNING)  # alembic set INFO
            password = secrets.token_urlsafe(12)
            filled = fill(sizes.people, sizes.courses, sizes.progress, password)
            plan = prepare(password, sizes.learners, sizes.department, sizes.passes, sizes.quizzes)
    finally:
        logging.getLogger().setLevel(level)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    rows = filled.rows
    print(
        f"sizes: {rows['users']} users, {rows['courses']} courses, {rows['enrolments']} "
        f"enrolments, {rows['lesson_progress']} lesson progress rows, {len(plan['quizzes'])} "
        f"quizzes, {len(plan['serials'])} passes; prepared in "
        f"{time.perf_counter() - started:.1f} s",
        file=out,
        flush=True,
    )
    return plan


def _environment(url, instance, port, queue):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIENPASS_INSTANCE": instance,
        "SECRET_KEY": secrets.token_hex(32),
        "MEDIENPASS_ENV": "production",
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PROXY_FIX": "1",
    }


def start_servers(environment, port, workers, logs):
    """gunicorn with the project's gunicorn.conf.py (bound here to the loopback port; its
    number of workers unless `workers` is given) and one RQ worker. They start while the
    database is filled: neither touches it before the first request or job."""
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    if workers:
        gunicorn += ["--workers", str(workers)]
    worker = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--quiet"]
    worker += ["--worker-class", "app.worker.Worker", "--path", str(ROOT)]
    worker += [environment["JOBS_QUEUE"]]
    processes = []
    for name, command in (("gunicorn", gunicorn), ("worker", worker)):
        log = open(Path(logs) / f"{name}.log", "wb")  # noqa: SIM115  closed with the process
        processes.append(
            subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
    return processes


def wait_until_up(processes, port, logs, timeout=60):
    """Until gunicorn answers /healthz (200) and the worker still runs."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200 and processes[1].poll() is None:
                    return
        except OSError:
            pass
        ended = [p for p in processes if p.poll() is not None]
        if time.monotonic() > deadline or ended:
            logs = "\n".join(
                f"{name}: " + (Path(logs) / f"{name}.log").read_text(errors="replace")[-2000:]
                for name in ("gunicorn", "worker")
            )
            raise RuntimeError(f"the servers did not come up:\n{logs}")
        time.sleep(0.2)


def stop_servers(processes, wait=True):
    """gunicorn's quick shutdown (SIGINT: the load is over, no request is waited for) and the
    RQ worker's warm one (SIGTERM: an idle worker ends at once, a running job is finished);
    with `wait`, until both have ended. gunicorn gets 5 s: its master otherwise waits up to
    its graceful timeout (30 s) for a worker that does not end at once, and that happened."""
    for process, stop in zip(processes, (signal.SIGINT, signal.SIGTERM), strict=False):
        if process.poll() is None:
            os.killpg(process.pid, stop)
    if not wait:
        return
    for process, patience in zip(processes, (5, 30), strict=False):
        try:
            process.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_locust(base_url, plan_path, log_path, sizes, logs):
    """Locust headless in its own environment; returns the recorded log."""
    if not LOCUST.exists():
        raise RuntimeError(f"{LOCUST.relative_to(ROOT)} is missing: run `make bench-load`")
    rate = max(1, sizes.users // 10)
    command = [
        str(LOCUST), "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless",
        "--users", str(sizes.users), "--spawn-rate", str(rate),
        "--run-time", f"{int(sizes.seconds)}s", "--stop-timeout", "120",
        "--host", base_url, "--only-summary", "--exit-code-on-error", "0",
    ]  # fmt: skip
    environment = {
        **os.environ,
        "LOAD_PLAN": str(plan_path),
        "LOAD_LOG": str(log_path),
        "LOAD_THINK": str(sizes.think),
    }
    with open(Path(logs) / "locust.log", "wb") as output:
        finished = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
            timeout=sizes.seconds + 300, check=False,
        )  # fmt: skip
    if finished.returncode != 0 or not log_path.exists():
        tail = (Path(logs) / "locust.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"Locust ended with {finished.returncode}:\n{tail}")
    return json.loads(log_path.read_text(encoding="utf-8"))


def report(log, seconds, out):
    """Print the figures; returns the number of 5xx answers."""
    groups = {}
    for name, milliseconds, status, _at in log["requests"]:
        groups.setdefault(name, []).append((milliseconds, status))
    total = len(log["requests"])
    errors = sum(1 for _n, _ms, status, _at in log["requests"] if status >= 500)
    if total > 1:  # the rate between the first and the last answer
        ends = [at for *_rest, at in log["requests"]]
        seconds = max(max(ends) - min(ends), 0.001)
    print(f"requests: {total} in {seconds:.0f} s, {total / seconds:.1f} requests/s", file=out)
    header = f"{'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'5xx':>6}"
    print(header, file=out)
    for name in sorted(groups):
        times = [ms for ms, _status in groups[name]]
        fives = sum(1 for _ms, status in groups[name] if status >= 500)
        print(
            f"{name:<24}{len(times):>9}{statistics.median(times):>9.1f}"
            f"{percentile(times, 0.95):>9.1f}{max(times):>9.1f}{fives:>6}",
            file=out,
        )
    print(f"5xx: {errors}", file=out)
    unexpected = [f for f in log["failures"] if f[1] < 500]
    print(f"other unexpected answers: {len(unexpected)}", file=out)
    for name, status, expected in unexpected[:10]:
        print(f"  {name}: {status} (expected {expected})", file=out)
    resets = sum(1 for e in log["events"] if e["kind"] == "reset_retried")
    print(f"requests sent again (the server closed a kept-alive connection): {resets}", file=out)
    broken = [e for e in log["events"] if e["kind"] == "journey_error"]
    print(f"journeys broken off: {len(broken)}", file=out)
    for event in broken[:10]:
        print(f"  {event['role']}: {event['error']}", file=out)
    crashed = [e for e in log["events"] if e["kind"] == "crash"]
    for event in crashed[:10]:
        print(f"crash of the load generator ({event['role']}): {event['error']}", file=out)
    return errors, len(unexpected) + len(broken), len(crashed)


def server_troubles(logs, out):
    """Print what gunicorn's log tells of trouble; returns the number of worker timeouts
    (a request that got no answer at all, as bad as a 5xx)."""
    text = (Path(logs) / "gunicorn.log").read_text(errors="replace")
    timeouts = text.count("WORKER TIMEOUT")
    booted = text.count("Booting worker")
    errors = len(re.findall(r"\[ERROR\]", text))
    print(
        f"gunicorn: {booted} workers booted, {timeouts} worker timeouts, {errors} errors logged",
        file=out,
    )
    for line in [line for line in text.splitlines() if "[ERROR]" in line or "TIMEOUT" in line][:5]:
        print(f"  {line}", file=out)
    return timeouts


def worker_troubles(logs, out, lines=30):
    """The RQ worker's warnings and errors, when the run failed."""
    text = (Path(logs) / "worker.log").read_text(errors="replace").splitlines()
    print(f"RQ worker's log ({len(text)} lines), the last {lines}:", file=out)
    for line in text[-lines:]:
        print(f"  {line}", file=out)


def run(server, sizes, runner="locust", port=5121, out=sys.stdout):
    """The whole benchmark; returns the exit code."""
    from redis import Redis

    _free_port_check(port)
    token = secrets.token_hex(4)
    queue = f"load-{token}"
    print(f"machine load before: {_load()}", file=out, flush=True)
    processes = []
    with temporary_database(server) as url, tempfile.TemporaryDirectory() as instance:
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        print(f"database: {shown}", file=out, flush=True)
        # The run's own limit keys (the instance's config.py, read by create_app).
        (Path(instance) / "config.py").write_text(
            f'RATELIMIT_KEY_PREFIX = "medienpass-load-{token}"\n', encoding="utf-8"
        )
        try:
            environment = _environment(url, instance, port, queue)
            processes = start_servers(environment, port, sizes.app_workers, instance)
            plan = prepare_database(url, instance, sizes, out)
            plan["writes_first"] = sizes.writes_first
            plan_path = Path(instance) / "load-plan.json"
            plan_path.write_text(json.dumps(plan), encoding="utf-8")
            wait_until_up(processes, port, instance)
            base_url = f"http://127.0.0.1:{port}"
            workers = sizes.app_workers or "gunicorn.conf.py's"
            print(
                f"load: {sizes.users} people for {sizes.seconds:.0f} s ({runner}), gunicorn with "
                f"{workers} workers, 1 RQ worker",
                file=out,
                flush=True,
            )
            started = time.monotonic()
            if runner == "locust":
                log = run_locust(
                    base_url, plan_path, Path(instance) / "load-log.json", sizes, instance
                )
            else:
                from bench import load_plain

                log = load_plain.run(
                    base_url, plan, sizes.users, sizes.seconds, sizes.think
                ).as_json()
            seconds = time.monotonic() - started
            print(f"machine load after: {_load()}", file=out)
            errors, unexpected, crashed = report(log, seconds, out)
            stop_servers(processes, wait=False)  # they end while the checks run
            timeouts = server_troubles(instance, out)

            from bench.load_checks import check

            results = check(url, plan, log)
            stop_servers(processes)
            processes = []
            for name, problem in results:
                mark, why = ("FAIL", f": {problem}") if problem else ("ok  ", "")
                print(f"{mark} {name}{why}", file=out)
            failed = [name for name, problem in results if problem]
            if errors or timeouts or failed or crashed or not log["requests"]:
                worker_troubles(instance, out)
                print("result: FAILED", file=out)
                return 1
            print(
                "result: passed"
                + (f" ({unexpected} unexpected answers, see above)" if unexpected else ""),
                file=out,
            )
            return 0
        finally:
            stop_servers(processes)
            redis = Redis.from_url(REDIS_URL)
            for pattern in (f"*{queue}*", f"*medienpass-load-{token}*"):
                for key in redis.scan_iter(pattern):
                    redis.delete(key)
            redis.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    test_server = os.environ.get("TEST_DATABASE_URL", "")
    parser.add_argument(
        "--server",
        default=test_server if test_server.startswith("postgres") else DEFAULT_SERVER,
        help="a postgresql:// server URL, or 'sqlite'",
    )
    parser.add_argument("--smoke", action="store_true", help="a small, quick run (no Locust)")
    parser.add_argument("--users", type=int, help="simulated people at once (50)")
    parser.add_argument("--minutes", type=float, help="how long the load runs (3)")
    parser.add_argument("--seconds", type=float, help="how long the load runs, in seconds")
    parser.add_argument("--people", type=int, help="users in the database (10,000)")
    parser.add_argument("--courses", type=int, help="courses in the database (500)")
    parser.add_argument("--progress", type=int, help="lesson progress rows (1,000,000)")
    parser.add_argument("--think", type=float, help="scale of the pauses between steps (1)")
    parser.add_argument("--app-workers", type=int, help="gunicorn workers (gunicorn.conf.py's)")
    parser.add_argument("--runner", choices=("locust", "plain"), help="locust, or plain threads")
    parser.add_argument("--port", type=int, default=5121, help="the loopback port of gunicorn")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else Sizes()
    given = {
        name: getattr(args, name)
        for name in ("users", "seconds", "people", "courses", "progress", "think", "app_workers")
        if getattr(args, name) is not None
    }
    if args.minutes is not None:
        given["seconds"] = args.minutes * 60
    sizes = replace(sizes, **given)
    runner = args.runner or ("plain" if args.smoke else "locust")
    logging.disable(logging.INFO)
    return run(args.server, sizes, runner, args.port)


if __name__ == "__main__":
    sys.exit(main())
