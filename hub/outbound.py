"""HTTP requests to addresses editors enter (webhook targets; later calendar imports).

Such an address must not reach into the hub's own network (SSRF): unless
`HUB_OUTBOUND_ALLOW_PRIVATE` is on (development and tests), a request goes only to
public unicast addresses. The host name is resolved once, per connection, the request
connects to an address from that answer (so a second, different DNS answer cannot
steer it elsewhere: DNS rebinding), and the connected socket's peer is checked again.
Redirects are never followed, proxies from the environment never used, and time and
size of an answer are bounded.
"""

import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CONNECT_TIMEOUT = 5.0
"""Seconds to establish a connection (per address tried)."""
READ_TIMEOUT = 10.0
"""Seconds the other side may stay silent while answering."""
TOTAL_TIMEOUT = 30.0
"""Seconds for the whole answer, however slowly it trickles in."""
MAX_BODY_BYTES = 64 * 1024
"""Bytes of an answer read at most; the rest is left unread (`Answer.truncated`)."""


class BlockedDestination(Exception):
    """The address is not allowed (private network, loopback, …) or does not resolve.

    The message is German: editors read it in the admin."""


def private_allowed() -> bool:
    return bool(getattr(settings, "HUB_OUTBOUND_ALLOW_PRIVATE", False))


def address_problem(address: IPAddress) -> str | None:
    """Why `address` is no public unicast address (German, for editors), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            return address_problem(embedded)
    if address.is_loopback:
        return "eine Loopback-Adresse (dieser Server selbst)"
    if address.is_link_local:
        return "eine Link-Local-Adresse"
    if address.is_multicast:
        return "eine Multicast-Adresse"
    if address.is_unspecified or address.is_reserved:
        return "eine reservierte Adresse"
    if address.is_private or not address.is_global:
        return "eine Adresse in einem privaten oder internen Netz"
    return None


def resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, IPAddress]]:
    """The addresses `host` resolves to (an IP literal resolves to itself), in order."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedDestination(
            f"Der Name „{host}“ lässt sich nicht auflösen."
        ) from error
    found: list[tuple[socket.AddressFamily, IPAddress]] = []
    for family, _type, _proto, _canonname, sockaddr in answers:
        address = _parse(str(sockaddr[0]))
        if (family, address) not in found:
            found.append((family, address))
    return found


def check_host(host: str, port: int) -> None:
    """Raise `BlockedDestination` unless every address of `host` may be reached."""
    if private_allowed():
        return
    for _family, address in resolve(host, port):
        if problem := address_problem(address):
            raise BlockedDestination(
                f"„{host}“ verweist auf {problem} ({address}); erlaubt sind nur "
                "öffentlich erreichbare Adressen."
            )


def check_url(url: str) -> None:
    """`check_host` for the host and port of `url`."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise BlockedDestination("Die Adresse enthält keinen Servernamen.")
    check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def _parse(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%", 1)[0])


class _GuardedConnectionMixin:
    """Connects only to permitted addresses of one resolution and checks the peer."""

    host: str
    port: int
    timeout: Any
    source_address: tuple[str, int] | None
    socket_options: Any
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        allow_private = private_allowed()
        candidates = resolve(self._dns_host, self.port)
        problems = []
        last_error: OSError | None = None
        for _family, address in candidates:
            problem = None if allow_private else address_problem(address)
            if problem:
                problems.append(f"{address}: {problem}")
                continue
            try:
                sock = create_connection(
                    (str(address), self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(
                    self,
                    f"Connection to {self.host} timed out. "
                    f"(connect timeout={self.timeout})",
                ) from error
            except OSError as error:
                last_error = error
                continue
            peer = _parse(str(sock.getpeername()[0]))
            if not allow_private and (problem := address_problem(peer)):
                sock.close()
                raise BlockedDestination(
                    f"„{self.host}“ wurde mit {problem} ({peer}) verbunden."
                )
            return sock
        if last_error is not None:
            raise NewConnectionError(
                cast(HTTPConnection, self),
                f"Failed to establish a new connection: {last_error}",
            ) from last_error
        raise BlockedDestination(
            f"„{self.host}“ verweist auf keine öffentlich erreichbare Adresse "
            f"({'; '.join(problems)})."
        )


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections go through `_GuardedConnectionMixin`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise BlockedDestination("Anfragen über einen Proxy sind nicht vorgesehen.")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes
    """At most `max_bytes` of the body."""
    truncated: bool
    """Whether the body went on beyond `max_bytes` (the rest was not read)."""


def session() -> requests.Session:
    """A session that reaches only permitted addresses, ignoring proxy variables."""
    guarded = requests.Session()
    guarded.trust_env = False
    adapter = GuardedAdapter(max_retries=0)
    guarded.mount("http://", adapter)
    guarded.mount("https://", adapter)
    return guarded


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
    max_bytes: int = MAX_BODY_BYTES,
) -> Answer:
    """One request to `url`, redirects not followed (a 3xx is the answer).

    Raises `BlockedDestination` for a forbidden or unresolvable address,
    `requests.RequestException` for network errors and timeouts (`requests.Timeout`
    also when the whole answer took longer than `total_timeout`)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise BlockedDestination("Nur http- und https-Adressen sind möglich.")
    deadline = time.monotonic() + total_timeout
    with session() as guarded:
        response = guarded.request(
            method,
            url,
            headers=dict(headers or {}),
            data=data,
            timeout=(connect_timeout, read_timeout),
            allow_redirects=False,
            stream=True,
        )
        with response:
            body = bytearray()
            truncated = False
            for chunk in response.iter_content(chunk_size=8192):
                if time.monotonic() > deadline:
                    raise requests.Timeout(
                        f"The answer took longer than {total_timeout:g} s."
                    )
                body += chunk
                if len(body) > max_bytes:
                    truncated = True
                    del body[max_bytes:]
                    break
            return Answer(
                status=response.status_code,
                headers=dict(response.headers),
                body=bytes(body),
                truncated=truncated,
            )
