"""What an operator sees: liveness, readiness with consumers attached, metrics, OpenAPI."""

from __future__ import annotations


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).json() == {"status": "ok", "service": "planner"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


async def test_metrics_expose_http_broker_and_outbox_figures(client, staff, sample_plan):
    await client.get("/api/v1/items", headers=staff)
    metrics = (await client.get("/metrics")).text
    assert "http_requests_total" in metrics
    assert "faststream_received_messages_total" in metrics or "faststream_" in metrics
    assert "workplan_outbox_published_total" in metrics


async def test_openapi_documents_every_route_with_examples(client):
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path in (
        "/api/v1/items",
        "/api/v1/items/{item_id}",
        "/api/v1/items/{item_id}/status",
        "/api/v1/items/{item_id}/hearings",
        "/api/v1/hearings/{hearing_id}/reschedule",
        "/api/v1/hearings/{hearing_id}/cancel",
        "/api/v1/hearings/{hearing_id}/held",
        "/api/v1/meetings",
        "/api/v1/organizations",
    ):
        assert path in paths
    assert spec["components"]["schemas"]["HearingIn"]["examples"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
