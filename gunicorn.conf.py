"""gunicorn settings for production (docker-compose.yml) and the benchmarks (bench/)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
timeout = 30
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
