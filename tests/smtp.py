"""A local SMTP server that keeps every message it receives (RFC 5321, no auth, no TLS)."""

import email
import email.policy
import socketserver
import threading
from email.message import EmailMessage


class _Session(socketserver.StreamRequestHandler):
    server: "SMTPSink._Server"

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 hub-test-smtp ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in {"HELO", "EHLO"}:
                self.reply("250 hub-test-smtp")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = email.message_from_bytes(
                    bytes(data), policy=email.policy.default
                )
                self.server.sink.received.append((sender, recipients, message))
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class SMTPSink:
    """`with SMTPSink() as smtp:` listens on 127.0.0.1:`smtp.port`; `smtp.received`."""

    class _Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        sink: "SMTPSink"

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self._server = self._Server(("127.0.0.1", 0), _Session)
        self._server.sink = self
        self.port: int = self._server.server_address[1]

    def __enter__(self) -> "SMTPSink":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
