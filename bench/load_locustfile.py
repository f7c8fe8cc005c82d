"""Locust's entry to the load benchmark: every Locust user is one simulated person of
bench/load_tasks.py (its role by the mix there), sending its requests through Locust's client
so that Locust paces and counts them as well. bench/load.py starts Locust with this file and
two environment variables: LOAD_PLAN (the plan JSON that bench/load_setup.py wrote) and
LOAD_LOG (where the recorded requests and events go when Locust quits)."""

import json
import os
import sys
from pathlib import Path

import gevent
from locust import HttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_tasks import Cast, JourneyError, Recorder, Reply  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
THINK = float(os.environ.get("LOAD_THINK", "1"))
RECORDER = Recorder()
CAST = Cast(PLAN)


class LocustClient:
    """Locust's HTTP session (requests) in the shape the journeys use; no redirects followed."""

    def __init__(self, session, address):
        self.session = session
        self.headers = {"X-Forwarded-For": address, "Accept-Language": "de"}

    def request(self, method, path, name, data=None):
        for _try in range(2):
            response = self.session.request(
                method, path, name=name, data=data, headers=self.headers, allow_redirects=False
            )
            if not _reset(response):
                break
            # gunicorn closed the kept-alive connection as the request went out (after its
            # keepalive of 5 s, or as a worker was recycled): a browser sends the request again
            # on a new connection, so does a person here. The checks afterwards would find an
            # attempt or a job written twice.
            RECORDER.event(kind="reset_retried", name=name)
        return Reply(
            status=response.status_code,
            text=response.text or "",
            location=response.headers.get("Location", ""),
            content=response.content or b"",
            error=repr(response.error) if response.status_code == 0 else "",
        )


def _reset(response):
    """No answer because the server closed the connection (reset, or closed before answering)."""
    error = repr(response.error)
    return response.status_code == 0 and ("reset by peer" in error or "RemoteDisconnected" in error)


class Person(HttpUser):
    wait_time = constant(0)  # the journeys pause themselves (Person.wait)

    def on_start(self):
        self.person = CAST.person(
            lambda address: LocustClient(self.client, address), RECORDER, THINK, gevent.sleep
        )
        try:
            self.person.start()
        except JourneyError as error:
            RECORDER.event(kind="journey_error", role=self.person.role, error=str(error))
            self.person = None
        except Exception as error:  # a broken benchmark fails the run (bench/load.py)
            RECORDER.event(kind="crash", role=self.person.role, error=repr(error))
            self.person = None

    @task
    def step(self):
        if self.person is None:  # its login failed: it stays idle, the failure is recorded
            gevent.sleep(1)
            return
        try:
            self.person.step()
        except JourneyError as error:
            RECORDER.event(kind="journey_error", role=self.person.role, error=str(error))
        except Exception as error:  # noqa: BLE001  recorded: the run fails
            RECORDER.event(kind="crash", role=self.person.role, error=repr(error))
        self.person.wait()


@events.quitting.add_listener
def _write_log(environment, **_kwargs):
    RECORDER.dump(os.environ["LOAD_LOG"])
