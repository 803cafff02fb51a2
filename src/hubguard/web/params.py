"""Request parameters with the bounds the database and HubSpot put on them.

An id outside a signed 64-bit integer (the BigInteger columns) used to reach the database and
come back as a 500 (``OverflowError`` on SQLite, ``DataError`` on PostgreSQL); declared here,
FastAPI answers 422 before any handler runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

__all__ = ["ID_DIGITS", "MAX_ID", "BeforeId", "InboxId", "PortalId", "ThreadId", "VerdictId"]

MAX_ID = 2**63 - 1
ID_DIGITS = r"^[0-9]{1,20}$"  # HubSpot's inbox and thread ids: numbers, sent as strings

PortalId = Annotated[int, Path(ge=1, le=MAX_ID)]
VerdictId = Annotated[int, Path(ge=1, le=MAX_ID)]
InboxId = Annotated[str, Path(pattern=ID_DIGITS)]
ThreadId = Annotated[str, Path(pattern=ID_DIGITS)]
BeforeId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
