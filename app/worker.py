"""The RQ worker of `make worker`: RQ's forking worker with the app made and the PDF renderer
warmed up once, in the worker process, before it forks a work horse per job.

RQ runs each job in a fresh child process, so that a job that crashes or leaks cannot harm
the worker, and a killed job is noticed by its heartbeat. Without preloading, every child
created the app and loaded WeasyPrint's fonts again, seconds per job; forked from a warm
parent, a child starts with all of it."""

import logging

from rq import Worker as RQWorker

log = logging.getLogger(__name__)


class Worker(RQWorker):
    def work(self, *args, **kwargs):
        preload()
        return super().work(*args, **kwargs)


def preload():
    """Best effort: a worker that cannot preload (e.g. before `flask db upgrade`) still works,
    its jobs make what they need themselves."""
    from app import jobs
    from app.extensions import db

    app = jobs.worker_app()
    with app.app_context():
        from app.mediapass import pdf

        try:
            pdf.warm_up()
        except Exception:  # noqa: BLE001  preloading only saves time
            log.warning("the worker could not preload the PDF renderer", exc_info=True)
        finally:
            # The children must not share the parent's database connections.
            db.session.remove()
            db.engine.dispose()
    log.info("worker preloaded the app and the PDF renderer")
