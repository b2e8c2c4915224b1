"""No token ever reaches a log line: the archive as a real process, its real log output.

A query-string token, an Authorization header, a cookie and a calendar feed's secret
address all go through uvicorn's access log and our own logs; none of them may appear
there, in either log format, while the requests themselves are still logged.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import httpx
import pytest

from tests.conftest import _delete_broker_objects
from tests.notifier.servers import free_port
from tests.support import bearer, eventually


def start_archive(settings, prefix: str, port: int, log_json: bool, log_path, cwd):
    env = {
        **os.environ,
        "WORKPLAN_DATABASE_URL": settings.database_url.get_secret_value(),
        "WORKPLAN_AMQP_URL": settings.amqp_url.get_secret_value(),
        "WORKPLAN_BROKER_PREFIX": prefix,
        "WORKPLAN_ARCHIVE_PORT": str(port),
        "WORKPLAN_LOG_LEVEL": "INFO",
        "WORKPLAN_LOG_JSON": "true" if log_json else "false",
    }
    log = log_path.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "workplan.cli", "archive"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=cwd,  # no .env of the working tree
    )


@pytest.mark.parametrize("log_json", [True, False], ids=["json", "readable"])
async def test_tokens_in_urls_headers_cookies_and_feed_addresses_never_reach_the_log(
    archive_settings, archive_db, amqp_url, run_id, tmp_path, log_json
):
    prefix = f"test-{run_id}-logs"
    port = free_port()
    log_path = tmp_path / "archive.log"
    process = start_archive(archive_settings, prefix, port, log_json, log_path, tmp_path)
    base = f"http://127.0.0.1:{port}"
    token = bearer(archive_settings, "archive:read")["Authorization"].removeprefix("Bearer ")
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:

            async def ready() -> bool:
                assert process.poll() is None, log_path.read_text()[-3000:]
                try:
                    return (await http.get("/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(ready, timeout=90, interval=0.3)
            auth = {"Authorization": f"Bearer {token}"}
            made = await http.post("/api/v1/feeds", json={"name": "Mine"}, headers=auth)
            assert made.status_code == 201, made.text
            feed_token = made.json()["token"]
            assert (await http.get(f"/feeds/{feed_token}.ics")).status_code == 200
            await http.get(f"/api/v1/events?access_token={token}&limit=1")
            await http.get("/api/v1/events?token=opaque-query-secret")
            await http.get("/unsubscribe?token=s.0123abcd.unsubscribe-mac")
            await http.get("/api/v1/events", headers={"Cookie": "session=cookie-secret-1"})
            await http.get("/api/v1/events", headers={"Authorization": "Basic dXNlcjpzZWNyZXQ="})
            await http.get("/api/v1/events", headers={"Authorization": "Bearer not.a.jwt.x"})
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        await _delete_broker_objects(amqp_url, prefix)
    log = log_path.read_text()

    for secret in (
        feed_token,
        feed_token.removeprefix("wpcal_"),
        token,
        token.split(".")[2],
        "opaque-query-secret",
        "unsubscribe-mac",
        "cookie-secret-1",
        "dXNlcjpzZWNyZXQ=",
    ):
        assert secret not in log, f"{secret[:12]}… is in the log"
    # the requests were logged, with what identifies them
    assert "GET /feeds/***.ics HTTP/1.1" in log
    assert "/api/v1/events?access_token=***&limit=1" in log
    assert "/unsubscribe?token=*** HTTP/1.1" in log
    if log_json:
        lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        assert any(line["logger"] == "uvicorn.access" for line in lines)
        assert all("color_message" not in line for line in lines)
    assert "\x1b[" not in log
