"""An editor sets up a partner's webhook in the admin, in Chromium, as they would."""

import re

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

# A public address that needs no name service (the hub runs with production settings,
# where private and loopback targets are refused).
PARTNER_HOOK = "https://93.184.215.14/hub-webhook"


def test_editor_adds_a_webhook_and_sees_its_secret_once(hub, page):
    log_in(hub, page)
    page.get_by_role("button", name="Einstellungen").click()
    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_url(re.compile(r".*/webhooks/.*"))
    page.get_by_role("link", name=re.compile("hinzufügen", re.I)).first.click()

    page.fill("input[name=name]", "Stadt Witten – Veranstaltungskalender")
    # A private address is refused with a German message on the field.
    page.fill("input[name=url]", "https://127.0.0.1/hook")
    page.get_by_label("Veröffentlicht", exact=True).check()
    page.get_by_role("button", name="Erstellen", exact=True).click()
    error = page.locator("[data-field-wrapper]:has(input[name=url]) .error-message")
    assert "erlaubt sind nur öffentlich erreichbare Adressen" in error.inner_text()
    assert page.locator("#webhook-secret").count() == 0

    page.fill("input[name=url]", PARTNER_HOOK)
    page.get_by_role("button", name="Erstellen", exact=True).click()
    secret = page.locator("#webhook-secret")
    secret.wait_for()
    assert secret.input_value().startswith("whsec_")
    assert "nur jetzt" in page.content()

    # Shown once: reloading, or coming back later, never shows it again.
    page.reload()
    assert page.locator("#webhook-secret").count() == 0
    assert "nur einmal angezeigt" in page.content()
