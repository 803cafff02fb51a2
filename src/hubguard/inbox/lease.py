"""Which worker process runs the periodic maintenance, when several share one database.

Each worker sweeps the events table itself (cheap, and it is how a lost broker message is
found), but the maintenance jobs (polling service-key portals, purging bodies, refreshing idle
grants, the review reminder) should run once per round across all processes, not once per
process: N workers would otherwise poll HubSpot N times and log every reminder N times. The lease
is one row: a worker takes it when it is free or expired and renews it each round while it
holds it; if the holder dies, another worker takes over once the lease expires.
"""

from __future__ import annotations

import os
import secrets
import socket

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock
from hubguard.db import metadata
from hubguard.inbox.sql import insert_ignore, transaction

__all__ = ["MaintenanceLease", "maintenance_leases"]

maintenance_leases = sa.Table(
    "inbox_maintenance_leases",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(128), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)


class MaintenanceLease:
    """A named lease in the database; :meth:`acquire` is True while this process holds it."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        name: str = "maintenance",
        ttl_seconds: float = 180.0,
        holder: str | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._name = name
        self._ttl = ttl_seconds
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live process holds it."""
        now = self._clock.now()
        row = {"name": self._name, "holder": self.holder, "expires_at": now + self._ttl}
        table = maintenance_leases
        with transaction(self._engine, write=True) as conn:
            insert_ignore(conn, table, [row], ["name"])
            taken = conn.execute(
                table.update()
                .where(
                    table.c.name == self._name,
                    sa.or_(table.c.holder == self.holder, table.c.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self._ttl)
            ).rowcount
        return taken == 1
