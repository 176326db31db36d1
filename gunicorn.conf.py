"""gunicorn configuration: ``gunicorn`` run in this folder reads it by itself
(``gunicorn -c gunicorn.conf.py`` from elsewhere). The app is ``catalog.wsgi``, with
``DJANGO_SETTINGS_MODULE=catalog.settings.production`` unless set otherwise.

Environment variables (all optional):

- ``GUNICORN_BIND``: address(es), comma-separated, default ``127.0.0.1:8000``
  (a proxy in front; ``unix:/run/heroes.sock`` works too).
- ``WEB_CONCURRENCY``: worker processes, default 2 * CPU cores + 1.
- ``GUNICORN_THREADS``: threads per worker, default 1 (sync workers); above 1
  gunicorn uses threaded workers (gthread).
- ``GUNICORN_TIMEOUT``: seconds a request may take before its worker is restarted,
  default 30. ``GUNICORN_GRACEFUL_TIMEOUT``: seconds to finish requests on restart,
  default 30. ``GUNICORN_KEEPALIVE``: seconds to hold an idle keep-alive
  connection, default 5.
- ``GUNICORN_MAX_REQUESTS``: restart a worker after this many requests (bounds slow
  memory growth), default 2000, with up to ``GUNICORN_MAX_REQUESTS_JITTER`` (200)
  more, so workers do not all restart at once; 0 turns it off.
- ``FORWARDED_ALLOW_IPS``: proxies trusted for X-Forwarded-* headers, default
  ``127.0.0.1,::1``.
- ``GUNICORN_ACCESS_LOG``: ``-`` (standard output, the default), a file, or empty
  for none. Errors go to standard error (``GUNICORN_ERROR_LOG``).
- ``LOG_LEVEL``: gunicorn's log level, default ``info``.

The control socket that gunicorn 25.1+ opens in ``$XDG_RUNTIME_DIR`` or
``~/.gunicorn/`` (for ``gunicornc``) is turned off: a service account may have no
writable home, and nothing here uses it.
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog.settings.production")

wsgi_app = "catalog.wsgi:application"

bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or 200)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Workers' heartbeat files in memory, not on a disk that may stall under load.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The time a request took (microseconds, %(D)s) at the end of the usual combined format.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'

control_socket_disable = True
