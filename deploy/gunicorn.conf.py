"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'``.

Behind nginx (docs/deploy.md): nginx buffers slow clients, so gunicorn's sync workers only ever
see complete requests. Every setting can be overridden by gunicorn's own ``GUNICORN_CMD_ARGS``
or the environment variables below.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One worker per core: rendering is CPU-bound and finished pages are cached per worker.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
# A request that takes longer than this is killed and its worker replaced.
timeout = 30
graceful_timeout = 20
# Only behind a proxy that speaks keep-alive to us; sync workers close after each response.
keepalive = 2
# Fail fast on garbage: the portal's URLs, headers and forms are small.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Each worker loads the app itself (no database connection is shared across a fork); a start-up
# error, e.g. a missing SECRET_KEY, makes the workers fail to boot and gunicorn exit.
preload_app = False
# X-Forwarded-* count only when SOZIALBERICHTE_PROXY_FIX says a proxy is in front: the app's
# ProxyFix then reads them (client address, scheme, host). Without a proxy gunicorn trusts no
# one either, so a forged "X-Forwarded-Proto: https" never fakes HTTPS (HSTS, cookies). With
# one, gunicorn trusts the proxy's addresses (FORWARDED_ALLOW_IPS, default loopback).
proxies = int(os.environ.get("SOZIALBERICHTE_PROXY_FIX", "0") or 0)
if proxies > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
del proxies
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
