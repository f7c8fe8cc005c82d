"""Gunicorn settings of Medienpass in production (`make serve-prod`, or
`gunicorn -c gunicorn.conf.py wsgi:app`), each overridable from the environment.

The app keeps no state in its processes (signed cookie sessions, rate limits in Redis, job
state in the database, files in STORAGE_DIR), so any number of workers here, and any number
of such servers behind a load balancer, serve the same users."""

import multiprocessing
import os

# Where to listen; behind a reverse proxy on the same machine the loopback address suffices.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker processes: the common 2 × cores + 1, or WEB_CONCURRENCY. Each holds its own
# database connection pool (SQLAlchemy's default: 5 connections, 10 more on demand), so
# workers × threads × servers must stay below PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# Threads per worker: a request waiting for the database or Redis does not hold up the
# others of its process.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# Issuing one pass renders a PDF in the request (well under a second); a request that takes
# a minute hangs, and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests (with jitter, so that not all at once):
# memory a long-lived process gathers (fonts, parsed styles, fragmentation) is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10

# The master builds the app once and forks the workers from it: they start at once and share
# the imported code's memory. Building the app opens no database or Redis connection (both
# are opened on first use, in the worker), so no connection is shared across a fork.
preload_app = True

# Logs go to stdout/stderr, where systemd's journal (or the container runtime) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
