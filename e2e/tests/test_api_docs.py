"""The API's documentation page works in a browser under the site's Content-Security-Policy:
Swagger UI from the vendored files, every operation listed, nothing refused by the policy."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_api_documentation_page_lists_every_operation(page: Page, live_server):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )

    schema = Client().get("/api/v1/schema/", headers={"accept": "application/json"}).json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Volontiers API")
    expect(page.locator(".opblock")).to_have_count(operations)
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert [text for text in refused if "Content Security Policy" in text] == []
    assert outside == []
