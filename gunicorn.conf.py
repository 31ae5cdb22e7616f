"""gunicorn settings for production (docker-compose.yml) and the benchmarks (bench/)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
timeout = 30
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
# behind nginx every request comes from the proxy: log the visitor's address and scheme it passes
access_log_format = (
    '%(h)s forwarded-for="%({x-forwarded-for}i)s" proto=%({x-forwarded-proto}i)s %(l)s %(u)s %(t)s '
    '"%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
)
