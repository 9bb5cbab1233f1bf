"""No webhook reaches the hub's own network in production: checked when an editor saves
the address and again on the connected socket of every delivery (DNS rebinding)."""

import ipaddress
import socket

from django.core.exceptions import ValidationError
from django.test import override_settings

import pytest

from hub import outbound
from pages.sync_events import ItemEvent, items_changed
from webhooks.models import Delivery, DeliveryStatus, Endpoint, validate_target_url

from .test_delivery import item_event

pytestmark = pytest.mark.django_db

production = override_settings(
    HUB_OUTBOUND_ALLOW_PRIVATE=False, HUB_WEBHOOKS_ALLOW_HTTP=False
)
PUBLIC = "93.184.216.34"


def resolving_to(*addresses):
    """A stand-in for DNS: every name resolves to `addresses`, in turn per lookup."""
    answers = list(addresses)

    def resolve(host, port):
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            literal = ipaddress.ip_address(address)
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        return [(family, literal)]

    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://100.64.0.1/hook",
        "https://localhost/hook",
    ],
)
def test_private_targets_are_refused_when_saved_in_production(url):
    with production, pytest.raises(ValidationError) as error:
        validate_target_url(url)
    assert "erlaubt sind nur öffentlich erreichbare Adressen" in str(error.value)


def test_a_name_resolving_to_loopback_is_refused_when_saved(monkeypatch):
    monkeypatch.setattr(outbound, "resolve", resolving_to("127.0.0.1"))
    with production, pytest.raises(ValidationError) as error:
        validate_target_url("https://hooks.partner.example/hub")
    assert "Loopback" in str(error.value)


def test_a_public_https_target_is_accepted(monkeypatch):
    monkeypatch.setattr(outbound, "resolve", resolving_to(PUBLIC))
    with production:
        validate_target_url("https://hooks.partner.example/hub")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.partner.example/hub", "https-Adresse"),
        ("ftp://hooks.partner.example/hub", "https-Adresse"),
        ("https://user:pw@hooks.partner.example/hub", "Zugangsdaten"),
    ],
)
def test_only_https_without_credentials_in_production(monkeypatch, url, message):
    monkeypatch.setattr(outbound, "resolve", resolving_to(PUBLIC))
    with production, pytest.raises(ValidationError) as error:
        validate_target_url(url)
    assert message in str(error.value)


def test_a_name_that_does_not_resolve_is_refused():
    with production, pytest.raises(ValidationError) as error:
        validate_target_url("https://nowhere.invalid/hub")
    assert "lässt sich nicht auflösen" in str(error.value)


def test_tests_and_development_may_use_local_http_targets():
    validate_target_url("http://127.0.0.1:8001/hook")
    validate_target_url("http://localhost/hook")


def test_a_delivery_to_a_private_address_is_refused_in_production(
    receiver, endpoint, committed
):
    with production, committed():
        items_changed.send(sender=ItemEvent, events=[item_event()])
    assert receiver.requests == []
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error.startswith("Adresse nicht erlaubt")
    assert "Loopback" in row.last_error


def test_dns_rebinding_after_the_check_is_caught_at_connect(
    receiver, committed, monkeypatch
):
    """The name resolved to a public address when saved and to loopback when sent."""
    port = receiver.url.split(":")[2].split("/")[0]
    monkeypatch.setattr(outbound, "resolve", resolving_to(PUBLIC, "127.0.0.1"))
    with production:
        endpoint = Endpoint(name="Umbiegen", url=f"https://rebind.example:{port}/h")
        endpoint.full_clean()
        endpoint.save()
        with committed():
            items_changed.send(sender=ItemEvent, events=[item_event()])
    assert receiver.requests == []
    assert "Loopback" in Delivery.objects.get().last_error


def test_the_connected_peer_is_checked(monkeypatch):
    """Even if resolution were bypassed, a socket connected to loopback is dropped."""
    monkeypatch.setattr(outbound, "address_problem", _problem_only_for_peer())
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        with production, pytest.raises(outbound.BlockedDestination) as error:
            outbound.request(
                "POST", f"http://127.0.0.1:{listener.getsockname()[1]}/", data=b"{}"
            )
    finally:
        listener.close()
    assert "verbunden" in str(error.value)


def _problem_only_for_peer():
    """Passes the first check of an address (resolution), fails the second (peer)."""
    seen = set()
    real = outbound.address_problem

    def problem(address):
        if address in seen:
            return real(address)
        seen.add(address)
        return None

    return problem


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.53", False),
        ("10.0.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
    ],
)
def test_address_rules(address, allowed):
    assert (outbound.address_problem(ipaddress.ip_address(address)) is None) is allowed


def test_proxies_from_the_environment_are_ignored(receiver, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    answer = outbound.request("POST", receiver.url, data=b"{}")
    assert answer.status == 204
