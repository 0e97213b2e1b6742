"""A real SMTP server for the email_send tests (aiosmtpd), on 127.0.0.1 and a port the kernel picks.

Usage: python3 smtp_peer.py MESSAGES_FILE

Prints "PORT PID" on the first line of stdout (the PID because python3 may run behind a launcher
that forks), then serves until SIGTERM comes or stdin closes (also when the test process dies).
Every recipient is accepted except those whose local part starts with "reject" (550 5.1.1 User
unknown). Any login is accepted (plain text is allowed: the peer is on loopback). Each message is
appended to MESSAGES_FILE as one JSON line, parsed with Python's own e-mail package so that the
tests check the message as an independent reader sees it:
{"mail_from", "rcpt_tos", "login", "data", "structure", "headers": {name: [decoded values]}, "parts": [...]}
"""

import asyncio
import base64
import json
import os
import signal
import sys
import threading
from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, path):
        self.path = path

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("reject"):
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        headers = {}
        for name, value in message.items():
            headers.setdefault(name.lower(), []).append(str(value))
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            if isinstance(content, bytes):
                content = {"base64": base64.b64encode(content).decode()}
            parts.append({
                "type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "disposition": part.get_content_disposition(),
                "filename": part.get_filename(),
                "transferEncoding": part.get("Content-Transfer-Encoding"),
                "content": content,
            })
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data,
            "data": raw.decode("utf-8", "replace"),
            "structure": message.get_content_type(),
            "headers": headers,
            "parts": parts,
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 2.0.0 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword):
        return AuthResult(success=True, auth_data=[auth_data.login.decode(), auth_data.password.decode()])
    return AuthResult(success=False, handled=False)


async def main(path):
    handler = Handler(path)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp-peer.test", authenticator=authenticate, auth_require_tls=False),
        "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], os.getpid(), flush=True)
    await server.serve_forever()


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    # The parent's threads may block signals, and a child inherits that mask.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(sys.argv[1]))
