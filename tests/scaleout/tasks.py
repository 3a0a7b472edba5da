"""A task for the worker test: it records each run (worker process id) in a file."""

import os
import time

from django_tasks import task


@task()
def record_run(number: int, path: str) -> int:
    # One short write with O_APPEND is atomic, so concurrent workers never interleave lines.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    time.sleep(0.05)
    return number
