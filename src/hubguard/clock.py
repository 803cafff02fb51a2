"""Time, injected. No other module reads the wall clock or sleeps directly.

Tests pass a :class:`FakeClock` and advance it, so expiry, backoff and retry schedules are tested
without sleeping. The emulator's served mode uses an :class:`OffsetClock`: real time that a
control endpoint can push forward.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "OffsetClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Wall time in epoch seconds, a monotonic reading, and a way to wait."""

    def now(self) -> float:
        """Seconds since the epoch (float)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences are meaningful."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait this long (a fake clock advances instead)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that moves only when told to; ``sleep`` advances it instantly. Thread-safe."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        return self.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += float(seconds)

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now!r})"


class OffsetClock:
    """Another clock plus an offset that only grows: real time that can be pushed forward."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._base.now() + self.offset

    def monotonic(self) -> float:
        return self._base.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self._base.sleep(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._offset += float(seconds)

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def __repr__(self) -> str:
        return f"OffsetClock(offset={self.offset!r})"
