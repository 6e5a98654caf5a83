"""gunicorn settings of ``make run``: the portal facing browsers directly, no proxy in front.

Everything as in ``gunicorn.conf.py`` (production behind nginx), except the worker model. A
sync worker serves one connection at a time and expects a buffering proxy: facing a browser,
an idle keep-alive connection or a slow client holds it until the 30 s timeout kills it (the
next click is an error), and a handful of slow clients stall them all. gthread workers keep
idle keep-alive connections in a poller (no thread while idle), give a new connection that
says nothing 5 s before parking it there too, and have many threads for slow clients.
``tests/test_server.py`` runs exactly the command of ``make run``: 12 idle and 10 slow
connections, 35 s of silence on a kept-alive connection, and the next click answers at once.
"""

import os
import runpy
from pathlib import Path

globals().update(
    (name, value)
    for name, value in runpy.run_path(str(Path(__file__).with_name("gunicorn.conf.py"))).items()
    if not name.startswith("_")
)

worker_class = "gthread"
# Threads wait for slow clients and the database, rendering holds the GIL: many threads are
# cheap, and a browser opens up to six connections (plus pre-connects) per visitor.
threads = int(os.environ.get("GUNICORN_THREADS", 32))
# Longer than a pause at the screen reader, like nginx's default: an idle kept-alive
# connection costs a file descriptor, not a thread.
keepalive = 75
