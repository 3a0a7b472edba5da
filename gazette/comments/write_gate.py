"""Keeps commenters from filling a web process's request threads while the database is locked.

A comment post that meets a write lock waits up to the database's bound (5 s) holding one of a
web process's few request threads; during a long lock (a migration, a backup) every commenter
sending again would hold one more, and page views would queue behind them. After one post has
met the lock, this process lets one post at a time try the database (the probe); the others are
told at once that the site is busy, with their text. The first post that gets through opens the
gate again.
"""

import threading
from dataclasses import dataclass


@dataclass
class Ticket:
    """One post's permission to write; ``met_lock()`` when the database turned it away."""

    probe: bool
    locked: bool = False

    def met_lock(self) -> None:
        self.locked = True


class WriteGate:
    def __init__(self) -> None:
        self.locked_out = False
        self._probe = threading.Lock()

    def enter(self) -> Ticket | None:
        """A ticket to try the database, or None: another post is finding out whether it is free."""
        if not self.locked_out:
            return Ticket(probe=False)
        if self._probe.acquire(blocking=False):
            return Ticket(probe=True)
        return None

    def leave(self, ticket: Ticket) -> None:
        self.locked_out = ticket.locked
        if ticket.probe:
            self._probe.release()


comment_writes = WriteGate()
