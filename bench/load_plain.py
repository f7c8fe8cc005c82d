"""The load benchmark's journeys without Locust: one thread per simulated person, each with a
keep-alive HTTP connection and its own cookies (standard library only). The suite's smoke test
runs the benchmark this way, so that it needs no Locust environment; `make bench-load` runs
Locust (bench/load_locustfile.py) over the same journeys."""

import http.client
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench.load_tasks import Cast, JourneyError, Recorder, Reply


class PlainClient:
    """HTTP/1.1 to one host; keeps cookies, does not follow redirects."""

    def __init__(self, base_url, address, recorder, timeout=60):
        self.recorder = recorder
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.headers = {"X-Forwarded-For": address, "Accept-Language": "de"}
        self.cookies = {}
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, name, data=None):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode([tuple(pair) for pair in data]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while True:
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError) as error:
                self.connection.close()
                self.connection = None
                reused = reused and isinstance(error, ConnectionError | http.client.BadStatusLine)
                # gunicorn closed the kept-alive connection as the request went out: a
                # browser sends it again on a new connection, so does a person here.
                if not reused:
                    return Reply(status=0, text="", error=repr(error))
                self.recorder.event(kind="reset_retried", name=name)
        for header in response.headers.get_all("Set-Cookie") or ():
            for key, morsel in SimpleCookie(header).items():
                if morsel["expires"] and "1970" in morsel["expires"] or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return Reply(
            status=response.status,
            text=content.decode("utf-8", "replace"),
            location=response.getheader("Location", ""),
            content=content,
        )


def run(base_url, plan, users, seconds, think=1.0):
    """Run `users` simulated people for `seconds` (each finishes what it is doing); returns
    the Recorder."""
    recorder = Recorder()
    cast = Cast(plan)
    stop = time.monotonic() + seconds

    def live():
        person = cast.person(
            lambda address: PlainClient(base_url, address, recorder), recorder, think
        )
        try:
            person.start()
            while True:  # at least one step, however long the start took
                try:
                    person.step()
                except JourneyError as error:
                    recorder.event(kind="journey_error", role=person.role, error=str(error))
                if time.monotonic() >= stop:
                    break
                person.wait()
        except JourneyError as error:
            recorder.event(kind="journey_error", role=person.role, error=str(error))
        except Exception as error:  # noqa: BLE001  a broken benchmark fails the run
            recorder.event(kind="crash", role=person.role, error=repr(error))
            raise
        finally:
            person.client.close()

    threads = [threading.Thread(target=live, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    return recorder
