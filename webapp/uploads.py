"""Large file uploads that keep the rest of the form.

Werkzeug refuses a body larger than ``request.max_content_length`` before it parses anything
(413), so a too large file used to lose every field the editor typed with it. A route that
takes files calls :func:`accept_file_upload` before it reads ``request.form``/``files``:

- the body may be up to ``request_max`` (a hard limit well above the file's: beyond it the
  request is refused unread, as before, so nobody makes the portal read gigabytes);
- each file part is written to a temporary file (in memory up to 512 KB) only up to
  ``file_max + 1`` bytes; the rest is read and thrown away, and counted, so the fields after
  the file are parsed as usual and the view can say how large the file was.

The view then checks :func:`too_large` per file and answers 413 with the form filled in and
the error tied to the file field.
"""

from __future__ import annotations

import tempfile

from flask import request
from werkzeug.datastructures import FileStorage

#: Kept in memory up to this size, then spooled to a temporary file.
SPOOL_IN_MEMORY = 512 * 1024


class CappedSpool(tempfile.SpooledTemporaryFile):
    """A file part's container that keeps at most ``cap`` bytes and counts all it was sent
    (``received``)."""

    def __init__(self, cap: int):
        super().__init__(max_size=SPOOL_IN_MEMORY, mode="w+b")
        self.cap = cap
        self.kept = 0
        self.received = 0

    def write(self, data) -> int:
        self.received += len(data)
        room = self.cap - self.kept
        if room > 0:
            part = data[:room]
            super().write(part)
            self.kept += len(part)
        return len(data)


def accept_file_upload(file_max: int, request_max: int) -> None:
    """Let this request's body be up to ``request_max`` bytes and keep at most
    ``file_max + 1`` bytes of each file (call before the form is parsed)."""
    request.max_content_length = request_max

    def stream_factory(total_content_length, content_type, filename, content_length=None):
        return CappedSpool(file_max + 1)

    # Werkzeug's documented hook for the container of a file part (Request._get_file_stream),
    # replaced for this one request.
    request._get_file_stream = stream_factory


def received_size(upload: FileStorage | None) -> int:
    """How many bytes the browser sent for ``upload`` (also the ones thrown away)."""
    if upload is None:
        return 0
    stream = upload.stream
    if isinstance(stream, CappedSpool):
        return stream.received
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size
