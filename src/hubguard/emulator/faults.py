"""Switchable failures: error responses, latency, and broken webhook deliveries.

Latency is spent with the emulator clock's ``sleep``: on a :class:`~hubguard.clock.FakeClock`
(in-process tests) it advances time instantly, so a client's timeout logic sees the delay without
waiting; on the served emulator's real clock it really waits, so socket timeouts fire.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultBook"]

FAULT_KINDS = ("error", "latency", "drop_deliveries", "delivery_timeout", "revoke_grant")


@dataclass(slots=True)
class Fault:
    """One armed fault. ``remaining`` None means until cleared."""

    id: str
    kind: str
    path_prefix: str
    method: str | None
    status: int
    body: dict[str, Any] | None
    seconds: float
    remaining: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultBook:
    """Armed faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._next = 1

    def add(
        self,
        kind: str,
        *,
        path_prefix: str = "/",
        method: str | None = None,
        status: int = 500,
        body: dict[str, Any] | None = None,
        seconds: float = 0.0,
        count: int | None = 1,
    ) -> Fault:
        fault = Fault(
            id=f"fault-{self._next}",
            kind=kind,
            path_prefix=path_prefix,
            method=method.upper() if method else None,
            status=status,
            body=body,
            seconds=seconds,
            remaining=count,
        )
        self._next += 1
        self._faults.append(fault)
        return fault

    def _take(self, kind: str, method: str | None = None, path: str | None = None) -> Fault | None:
        for fault in self._faults:
            if fault.kind != kind:
                continue
            if path is not None and not path.startswith(fault.path_prefix):
                continue
            if method is not None and fault.method not in (None, method):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    def take_error(self, method: str, path: str) -> Fault | None:
        return self._take("error", method, path)

    def take_latency(self, method: str, path: str) -> float:
        fault = self._take("latency", method, path)
        return fault.seconds if fault else 0.0

    def take_delivery(self) -> str | None:
        """ "dropped" or "timeout" when the next delivery attempt is to fail that way."""
        if self._take("drop_deliveries") is not None:
            return "dropped"
        if self._take("delivery_timeout") is not None:
            return "timeout"
        return None

    def active(self) -> list[Fault]:
        return list(self._faults)

    def clear(self) -> None:
        self._faults.clear()
