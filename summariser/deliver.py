"""Sending a night's digest: a JSON POST to a webhook, and mail over SMTP.

Input: the run's report, its Markdown and HTML digests, and the ``[nightly]`` keys
``webhook``, ``mail_to``, ``mail_from``, ``smtp_host``, ``smtp_port``, ``smtp_user`` and
``smtp_starttls``; the SMTP password is read from ``SUMMARISER_SMTP_PASSWORD`` only, never
from a file. Output: one line per delivery that failed (the night's briefs stand either way).
A webhook's URL is shown by its host alone (its path often is its secret), and the password
never appears in an error.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Delivery", "deliver"]

PASSWORD_ENV = "SUMMARISER_SMTP_PASSWORD"
TIMEOUT = 30.0


@dataclass(frozen=True)
class Delivery:
    """Where a digest goes."""

    webhook: str | None = None
    mail_to: tuple[str, ...] = ()
    mail_from: str | None = None
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_starttls: bool = False


def deliver(
    delivery: Delivery, subject: str, report: dict[str, Any], briefs: Sequence[dict[str, Any]], texts: tuple[str, str]
) -> list[str]:
    """Send the digest (``texts``: its Markdown and HTML) where ``delivery`` says; the failures, one line each."""
    problems = []
    if delivery.webhook:
        problems += _post(
            delivery.webhook, {"subject": subject, "run": report, "briefs": list(briefs), "digest": texts[0]}
        )
    if delivery.mail_to:
        problems += _mail(delivery, subject, texts)
    return problems


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


def _post(url: str, payload: dict[str, Any]) -> list[str]:
    import httpx

    if urlsplit(url).scheme not in ("http", "https"):
        return [f"webhook: not an http(s) URL ({_where(url)})"]
    try:
        response = httpx.post(
            url,
            content=json.dumps(payload, default=str),
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={"Content-Type": "application/json", "User-Agent": "summariser-nightly"},
        )
    except httpx.HTTPError as exc:
        return [f"webhook {_where(url)}: {type(exc).__name__}"]
    if response.status_code >= 300:
        return [f"webhook {_where(url)}: HTTP {response.status_code}"]
    return []


def _mail(delivery: Delivery, subject: str, texts: tuple[str, str]) -> list[str]:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = delivery.mail_from or f"summariser@{delivery.smtp_host}"
    message["To"] = ", ".join(delivery.mail_to)
    message.set_content(texts[0])
    message.add_alternative(texts[1], subtype="html")
    password = os.environ.get(PASSWORD_ENV)
    where = f"{delivery.smtp_host}:{delivery.smtp_port}"
    try:
        with smtplib.SMTP(delivery.smtp_host, delivery.smtp_port, timeout=TIMEOUT) as smtp:
            if delivery.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if delivery.smtp_user:
                if not password:
                    return [f"mail via {where}: smtp_user is set but {PASSWORD_ENV} is not"]
                smtp.login(delivery.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        reason = str(exc).replace(password, "[redacted]") if password else str(exc)
        return [f"mail via {where}: {type(exc).__name__}: {reason[:200]}"]
    return []
