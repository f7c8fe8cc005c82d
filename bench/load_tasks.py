"""What the simulated people of the load benchmark do, on any HTTP client: learners, trainers,
HR and visitors, each a journey of real pages and forms (CSRF tokens read from the forms).

Standard library only: Locust runs these journeys in its own environment
(bench/load_locustfile.py), and bench/load_plain.py runs them in threads without Locust.
A client is any object with `request(method, path, name, data=None, headers=None)` that
returns a `Reply` and does not follow redirects; every request is timed and recorded under
its name (the page group of the report) by the `Recorder`."""

import io
import json
import random
import re
import threading
import time
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urlsplit

# The mix: for every ten people, six learners, one trainer, one HR person, two visitors.
PATTERN = (
    "learner", "hr", "visitor", "trainer", "learner",
    "learner", "learner", "visitor", "learner", "learner",
)  # fmt: skip
# Seconds a person pauses between two things it does (scaled by the run's `think`).
PAUSES = {"learner": (1, 4), "trainer": (2, 6), "hr": (3, 8), "visitor": (3, 6)}
JOB_TIMEOUT = 180  # seconds HR waits for a bulk job before it counts as lost
TEXT_ANSWERS = ("42", "Datenschutz", "Quelle prüfen", "3,5", "Impressum")


@dataclass
class Reply:
    status: int
    text: str
    location: str = ""
    content: bytes = b""
    error: str = ""  # why there was no answer (status 0: the connection failed)


class Recorder:
    """Every request (name, milliseconds, status, when it ended), the failures and the events
    the checks need (attempts started and submitted, bulk jobs); shared by all people."""

    def __init__(self):
        self.requests = []
        self.failures = []  # (name, status, what was expected)
        self.events = []
        self._lock = threading.Lock()

    def request(self, name, milliseconds, status, expected):
        """One answered request; `at`, the time it ended, gives the rate."""
        with self._lock:
            self.requests.append((name, round(milliseconds, 2), status, round(time.time(), 3)))
            if status not in expected:
                self.failures.append((name, status, sorted(expected)))

    def event(self, **fields):
        with self._lock:
            self.events.append(fields)

    def as_json(self):
        return {"requests": self.requests, "failures": self.failures, "events": self.events}

    def dump(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.as_json(), handle)


class JourneyError(Exception):
    """A page did not answer as a person would need it to go on."""


class _Forms(HTMLParser):
    """The forms of a page: action, method and fields (name, value, type, choices)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],  # [name, value] of what the browser sends as it is
                "choices": {},  # name: [values] of radios, checkboxes and selects
                "kinds": {},  # name: input type
                "buttons": [],  # (name, value)
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            self._form["kinds"][name] = kind
            if kind in ("radio", "checkbox"):
                self._form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self._form["fields"].append([name, attrs.get("value", "on")])
            elif kind in ("submit", "button"):
                self._form["buttons"].append((name, attrs.get("value", "")))
            else:
                self._form["fields"].append([name, attrs.get("value") or ""])
        elif tag == "button" and name:
            self._form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = [name, None, []]
            self._form["kinds"][name] = "select"
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            self._select[2].append(value)  # None: the text, filled in handle_data
            if "selected" in attrs:
                self._select[1] = len(self._select[2]) - 1
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self._form["kinds"][name] = "textarea"

    def handle_data(self, data):
        if self._select is not None and self._select[2] and self._select[2][-1] is None:
            self._select[2][-1] = data.strip()
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, chosen, values = self._select
            self._form["choices"][name] = values
            if values:
                self._form["fields"].append([name, values[chosen or 0]])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append([self._textarea[0], self._textarea[1].lstrip("\n")])
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_where(html, test, what):
    for form in forms_of(html):
        if test(form):
            return form
    raise JourneyError(f"no {what} on the page")


def with_values(form, **values):
    """The form's fields as sent, with some set (replaced or added)."""
    fields = [pair for pair in form["fields"] if pair[0] not in values]
    return fields + [[name, value] for name, value in values.items()]


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Person:
    """One simulated person: logs in once (if it has an account), then does one thing per
    `step()`. `pause(seconds)` waits (Locust's or the thread's sleep)."""

    role = "visitor"

    def __init__(self, client, recorder, plan, account=None, seed=None, think=1.0, pause=None):
        self.client, self.recorder, self.plan, self.account = client, recorder, plan, account
        self.rng = random.Random(seed)
        self.think = think
        self._pause = pause or time.sleep
        self.steps = 0

    def pause(self, low=0.3, high=1.5):
        self._pause(self.rng.uniform(low, high) * self.think)

    def wait(self):
        """The pause between two steps."""
        self.pause(*PAUSES[self.role])

    def go(self, method, path, name, data=None, expected=(200,)):
        started = time.perf_counter()
        reply = self.client.request(method, path, name, data=data)
        milliseconds = (time.perf_counter() - started) * 1000
        self.recorder.request(name, milliseconds, reply.status, expected)
        if reply.status not in expected:
            why = f" ({reply.error})" if reply.error else ""
            raise JourneyError(f"{name}: {method} {path} answered {reply.status}{why}")
        return reply

    def follow(self, reply, name, expected=(200,)):
        return self.go("GET", path_of(reply.location), name, expected=expected)

    def log_in(self):
        page = self.go("GET", "/login", "login page")
        form = form_where(page.text, lambda f: "password" in f["kinds"], "login form")
        data = with_values(form, email=self.account, password=self.plan["password"])
        reply = self.go("POST", "/login", "login", data=data, expected=(302,))
        if "/login" in reply.location:
            raise JourneyError(f"the login of {self.account} was refused: {reply.location}")
        self.follow(reply, f"{self.role} start page")

    def start(self):
        if self.account:
            self.log_in()

    def step(self):
        """One thing the person does; with the plan's `writes_first` (the smoke test) the
        first is the one that writes (a quiz, an edit, a bulk job), so that a short run has
        done each of them."""
        self.steps += 1
        if self.steps == 1 and self.plan.get("writes_first"):
            self.write()
        else:
            self.any_step()

    def any_step(self):
        raise NotImplementedError

    def write(self):
        self.any_step()


class Learner(Person):
    role = "learner"

    def write(self):
        self.take_quiz()

    def any_step(self):
        choice = self.rng.random()
        if choice < 0.35:
            self.go("GET", "/dashboard", "learner dashboard")
        elif choice < 0.75:
            self.browse()
        else:
            self.take_quiz()

    def browse(self):
        dashboard = self.go("GET", "/dashboard", "learner dashboard")
        courses = sorted(set(re.findall(r'href="/courses/(\d+)"', dashboard.text)))
        if not courses or self.rng.random() < 0.2:
            self.go("GET", "/courses/", "course catalogue")
            return
        course = self.rng.choice(courses)
        self.pause()
        page = self.go("GET", f"/courses/{course}", "course page")
        lessons = re.findall(rf'href="(/courses/{course}/lessons/\d+)"', page.text)
        if not lessons:
            return
        self.pause()
        lesson = self.go("GET", self.rng.choice(lessons), "lesson")
        done = [
            form
            for form in forms_of(lesson.text)
            if form["method"] == "post" and form["action"].endswith("/done")
        ]
        if done and self.rng.random() < 0.5:
            self.pause()
            self.go(
                "POST", done[0]["action"], "lesson done", data=done[0]["fields"], expected=(302,)
            )

    def take_quiz(self):
        quiz = self.rng.choice(self.plan["quizzes"])
        page = self.go("GET", f"/questions/quizzes/{quiz}", "quiz page")
        form = form_where(page.text, lambda f: f["action"].endswith("/start"), "start form")
        started = self.go(
            "POST", form["action"], "quiz start", data=form["fields"], expected=(302,)
        )
        found = re.search(r"/questions/attempts/(\d+)", started.location)
        if not found:
            raise JourneyError(f"starting quiz {quiz} led to {started.location}")
        attempt = int(found.group(1))
        self.recorder.event(kind="attempt_started", attempt=attempt, user=self.account, quiz=quiz)
        where = path_of(started.location)
        for _question in range(100):  # a quiz holds far fewer questions
            question = self.go("GET", where, "quiz question")
            form = form_where(question.text, lambda f: "q" in f["kinds"], "answer form")
            buttons = {value for name, value in form["buttons"] if name == "go"}
            go = "next" if "next" in buttons else "summary"
            self.pause(0.5, 3)
            saved = self.go(
                "POST", where, "quiz answer", data=self._answer(form) + [["go", go]],
                expected=(302,),
            )  # fmt: skip
            where = path_of(saved.location)
            if go == "summary":
                break
        summary = self.go("GET", where, "quiz summary")
        form = form_where(summary.text, lambda f: f["action"].endswith("/submit"), "submit form")
        self.pause()
        clicks = 2 if self.rng.random() < 0.1 else 1  # now and then a double click
        for click in range(clicks):
            name = "quiz submit" if click == 0 else "quiz submit (again)"
            submitted = self.go("POST", form["action"], name, data=form["fields"], expected=(302,))
            self.recorder.event(
                kind="attempt_submitted",
                attempt=attempt,
                user=self.account,
                status=submitted.status,
            )
        self.follow(submitted, "quiz review")

    def _answer(self, form):
        """A person's answer to the question of the form: any choice, any text."""
        fields = [pair for pair in form["fields"] if pair[0] == "csrf_token" or pair[0] == "q"]
        for name, values in form["choices"].items():
            values = [value for value in values if value]
            if not values:
                continue
            if form["kinds"][name] == "checkbox":
                picked = self.rng.sample(values, self.rng.randint(1, len(values)))
                fields += [[name, value] for value in picked]
            else:
                fields.append([name, self.rng.choice(values)])
        for name, kind in form["kinds"].items():
            if kind in ("text", "textarea") and name not in form["choices"]:
                fields.append([name, self.rng.choice(TEXT_ANSWERS)])
        return fields


class Trainer(Person):
    role = "trainer"

    def write(self):
        self.edit_course()
        self.edit_quiz()

    def any_step(self):
        choice = self.rng.random()
        if choice < 0.4:
            self.edit_course()
        elif choice < 0.8:
            self.edit_quiz()
        else:
            quiz = self.rng.choice(self.plan["quizzes"])
            self.go("GET", f"/questions/quizzes/{quiz}/statistics", "quiz statistics")

    def edit_course(self):
        course = self.rng.choice(self.plan["courses"])
        page = self.go("GET", f"/courses/{course}/edit", "course edit form")
        form = form_where(page.text, lambda f: "summary" in f["kinds"], "course form")
        self.pause(1, 4)
        summary = f"Ein Kurs, überarbeitet im Lasttest ({self.rng.randint(1, 10**6)})."
        saved = self.go(
            "POST", f"/courses/{course}/edit", "course save",
            data=with_values(form, summary=summary), expected=(302,),
        )  # fmt: skip
        self.follow(saved, "course builder")

    def edit_quiz(self):
        quiz = self.rng.choice(self.plan["quizzes"])
        path = f"/questions/quizzes/{quiz}/edit"
        page = self.go("GET", path, "quiz edit form")
        form = form_where(
            page.text,
            lambda f: f["method"] == "post"
            and f["action"] in ("", path)
            and "pass_mark" in f["kinds"],
            "quiz settings form",
        )
        self.pause(1, 4)
        description = f"Überarbeitet im Lasttest ({self.rng.randint(1, 10**6)})."
        saved = self.go(
            "POST", path, "quiz save", data=with_values(form, description=description),
            expected=(302,),
        )  # fmt: skip
        self.follow(saved, "quiz edit form")


class HR(Person):
    role = "hr"

    def write(self):
        self.bulk_passes()

    def any_step(self):
        choice = self.rng.random()
        department = self.plan["department"]
        if choice < 0.25:
            self.go("GET", "/reports/gaps.csv", "gap report CSV")
        elif choice < 0.45:
            self.go("GET", "/reports/gaps.xlsx?by=job_role", "gap report XLSX")
        elif choice < 0.6:
            self.go("GET", f"/reports/matrix.xlsx?department={department['id']}", "matrix XLSX")
        elif choice < 0.75:
            self.go("GET", "/courses/compliance", "compliance page")
        else:
            self.bulk_passes()

    def bulk_passes(self):
        """Issue the passes of the small department as a job, watch it, download the ZIP."""
        page = self.go("GET", "/passes/bulk", "bulk pass form")
        form = form_where(page.text, lambda f: "group" in f["kinds"], "bulk form")
        group = f"department:{self.plan['department']['name']}"
        self.pause()
        started = self.go(
            "POST", "/passes/bulk", "bulk pass start",
            data=with_values(form, group=group, language="de"), expected=(302,),
        )  # fmt: skip
        found = re.search(r"/passes/jobs/(\d+)", started.location)
        if not found:
            raise JourneyError(f"the bulk job did not start: {started.location}")
        job = int(found.group(1))
        self.recorder.event(kind="job_started", job=job, user=self.account)
        self.follow(started, "bulk job page")
        deadline = time.monotonic() + JOB_TIMEOUT
        state = "queued"
        while time.monotonic() < deadline:
            self._pause(min(1.0, 5 * self.think))  # the page's progress bar asks every second
            state = json.loads(self.go("GET", f"/passes/jobs/{job}.json", "bulk job status").text)[
                "state"
            ]
            if state in ("finished", "failed"):
                break
        pdfs = None
        if state == "finished":
            download = self.go("GET", f"/passes/jobs/{job}/download", "bulk ZIP download")
            with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
                pdfs = sum(name.endswith(".pdf") for name in archive.namelist())
        self.recorder.event(kind="job_ended", job=job, state=state, pdfs=pdfs)


class Visitor(Person):
    role = "visitor"

    def any_step(self):
        serial = self.rng.choice(self.plan["serials"])
        self.go("GET", f"/verify/{serial}", "verify pass")


ROLES = {"learner": Learner, "trainer": Trainer, "hr": HR, "visitor": Visitor}


class Cast:
    """Hands out who the next simulated person is: the role by PATTERN, a distinct account
    per person (accounts are reused only when there are more people than accounts)."""

    def __init__(self, plan):
        self.plan = plan
        self._numbers = count()
        self._taken = {role: count() for role in ROLES}
        self._lock = threading.Lock()

    def next(self):
        """(number, role, account or None)."""
        with self._lock:
            number = next(self._numbers)
            role = PATTERN[number % len(PATTERN)]
            accounts = self.plan["accounts"].get(role)
            account = accounts[next(self._taken[role]) % len(accounts)] if accounts else None
        return number, role, account

    def person(self, make_client, recorder, think=1.0, pause=None):
        """The next person, with its client made by `make_client(address)`."""
        number, role, account = self.next()
        return ROLES[role](
            make_client(client_address(number)), recorder, self.plan, account=account,
            seed=number, think=think, pause=pause,
        )  # fmt: skip


def client_address(number):
    """The address a person's requests come from, sent as X-Forwarded-For (the app runs with
    PROXY_FIX=1, as behind a reverse proxy): from 198.18.0.0/15, the range set aside for
    benchmarks (RFC 2544), so that the per-address limits (login failures, verification)
    count each person apart. The requests themselves go to the loopback address only."""
    return f"198.18.{number // 250}.{number % 250 + 1}"
