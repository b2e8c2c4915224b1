"""What a reader of each service's API documents gets: pages that work without internet
access, and a document that says how to authenticate and where the API is."""

from __future__ import annotations

import re

import httpx
import pytest

SERVICES = ["planner", "archive", "notifier"]
OPERATIONS = ("get", "put", "post", "delete", "patch")


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_nothing_from_another_host(running_services, service, page):
    url = running_services[service]
    response = httpx.get(f"{url}{page}")
    assert response.status_code == 200
    html = response.text
    assert "//" not in re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL).replace(
        "<!DOCTYPE html>", ""
    ), html  # no absolute URL anywhere but in the inline script
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references
    for reference in references:
        assert reference.startswith("/"), reference
        asset = httpx.get(f"{url}{reference}")
        assert asset.status_code == 200, reference
        assert len(asset.content) > 1000, reference
    assert "/openapi.json" in html


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_says_where_and_how_to_authenticate(running_services, service):
    document = httpx.get(f"{running_services[service]}/openapi.json").json()

    assert document["servers"] == [
        {"url": "/", "description": document["servers"][0]["description"]}
    ]
    public, secured = [], []
    for path, item in document["paths"].items():
        for method in OPERATIONS:
            if method not in item:
                continue
            operation = item[method]
            responses = operation["responses"]
            assert "422" in responses, (method, path)
            if operation["security"]:
                secured.append(path)
                assert {"401", "403"} <= responses.keys(), (method, path)
            else:
                public.append(path)
            if "requestBody" in operation:
                assert "413" in responses, (method, path)
    assert "/healthz" in public
    assert "/readyz" in public
    assert any(path.startswith("/api/v1/") for path in secured)
