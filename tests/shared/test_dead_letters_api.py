"""The dead letters of a service over HTTP (``<service>:admin``): listed with their reasons,
the body only for a caller cleared for restricted data, and replayed to where they came from."""

from __future__ import annotations

import json

import aio_pika
import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from shared.auth.tokens import TokenVerifier, mint_token
from shared.messaging.dead_letters import (
    CODE_HEADER,
    EXCHANGE_HEADER,
    REASON_HEADER,
    ROUTING_KEY_HEADER,
)
from shared.messaging.topology import Topology
from shared.runtime.dead_letters_api import dead_letters_router
from shared.settings import WorkplanSettings


def headers(settings: WorkplanSettings, *scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(settings, subject='ops', scopes=scopes)}"}


async def test_dead_letters_are_listed_with_reasons_and_replayed(amqp_url, run_id):
    settings = WorkplanSettings(
        amqp_url=SecretStr(amqp_url), broker_prefix=f"test-{run_id}-dlapi", _env_file=None
    )
    topology = Topology(settings.broker_prefix)
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(settings)
    app.include_router(dead_letters_router("archive", settings, topology))
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        dead = await channel.declare_queue(topology.dead_letter_queue("archive"), durable=True)
        back = await channel.declare_queue("", exclusive=True)
        await back.bind("amq.topic", routing_key="workplan.item.created.v1")
        body = json.dumps({"secret": "RSTRALPHA"}).encode()
        await channel.default_exchange.publish(
            aio_pika.Message(
                body,
                message_id="evt-1",
                content_type="application/json",
                headers={
                    CODE_HEADER: "validation",
                    REASON_HEADER: "data.title: field required",
                    ROUTING_KEY_HEADER: "workplan.item.created.v1",
                    EXCHANGE_HEADER: "amq.topic",
                },
            ),
            routing_key=dead.name,
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://archive"
        ) as client:
            path = "/api/v1/dead-letters"
            assert (await client.get(path)).status_code == 401
            assert (
                await client.get(path, headers=headers(settings, "archive:read"))
            ).status_code == 403
            admin = headers(settings, "archive:admin")
            listed = (await client.get(path, headers=admin)).json()
            assert [(d["message_id"], d["code"], d["reason"]) for d in listed] == [
                ("evt-1", "validation", "data.title: field required")
            ]
            assert listed[0]["body"] is None
            assert listed[0]["body_withheld"] is True
            cleared = headers(settings, "archive:admin", "archive:restricted")
            shown = (await client.get(path, headers=cleared)).json()
            assert "RSTRALPHA" in shown[0]["body"]

            refused = await client.post(f"{path}/replay", headers=admin, json={})
            assert refused.status_code == 422
            none = await client.post(f"{path}/replay", headers=admin, json={"message_ids": ["x"]})
            assert none.json() == {"replayed": 0}
            replayed = await client.post(
                f"{path}/replay", headers=admin, json={"message_ids": ["evt-1"]}
            )
            assert replayed.json() == {"replayed": 1}
            assert (await client.get(path, headers=admin)).json() == []
        arrived = await back.get(timeout=5)
        assert arrived.message_id == "evt-1"
        assert arrived.body == body
        await dead.delete(if_unused=False, if_empty=False)
