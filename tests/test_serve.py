"""`hubguard serve` as a user runs it: a real process, a real port, /healthz when ready."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from hubguard.serving import free_port
from hubguard.vault.crypto import new_master_key_line


def test_serve_answers_healthz_and_starts_the_install(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "HUBGUARD_DATA_DIR": str(tmp_path),
        "HUBGUARD_MASTER_KEYS": new_master_key_line(),
        "HUBGUARD_CLIENT_ID": "client-id-for-serve-test",
        "HUBGUARD_CLIENT_SECRET": "client-secret-for-serve-test",
        "HUBGUARD_PUBLIC_URL": f"http://localhost:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hubguard", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    waiter = threading.Event()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            for _ in range(300):
                try:
                    health = http.get("/healthz")
                    break
                except httpx.TransportError:
                    assert process.poll() is None, process.stdout.read() if process.stdout else ""
                    waiter.wait(0.1)
            else:
                raise AssertionError("hubguard serve never answered /healthz")
            assert health.status_code == 200
            assert health.json()["status"] == "ok"
            install = http.get("/oauth/install")
            assert install.status_code == 302
            assert install.headers["location"].startswith("https://app.hubspot.com/oauth/")
            assert "client-secret-for-serve-test" not in install.headers["location"]
            unsigned = http.post("/webhooks/hubspot", content=b"[]")
            assert unsigned.status_code == 401
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode(errors="replace")
    assert "client-secret-for-serve-test" not in output
