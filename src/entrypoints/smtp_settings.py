"""Email settings: the mail server notifications go through (CREDITDESK_SMTP_*).

Kept apart from `entrypoints.settings`, which reads them with the rest, as the auth and HTTP
settings are: each group of settings with its own checks and its own reasons.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from domain.errors import Problem

PREFIX = "CREDITDESK_"


@frozen
class SmtpSettings:
    """The mail server email notifications go through (CREDITDESK_SMTP_HOST turns email on).

    A login needs STARTTLS, so a password never crosses the network in the clear; the password
    never appears in a repr, so settings can be logged or shown in an error whole.
    """

    host: str
    sender: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)


_SMTP_VARIABLES = ("PORT", "USERNAME", "PASSWORD", "FROM", "STARTTLS")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def smtp_settings(env: Mapping[str, str], problems: list[Problem]) -> SmtpSettings | None:
    """The mail server's settings (None when email is off), every problem appended to
    `problems`. No message repeats a value: the password is secret."""
    host = env.get(f"{PREFIX}SMTP_HOST", "").strip()
    given = {name: env.get(f"{PREFIX}SMTP_{name}", "") for name in _SMTP_VARIABLES}
    if not host:  # settings that would be silently ignored are a mistake to name
        problems.extend(
            Problem(f"{PREFIX}SMTP_{name}", f"is set, but {PREFIX}SMTP_HOST is not")
            for name, value in given.items()
            if value
        )
        return None
    flag = given["STARTTLS"].strip().lower() or "false"
    if flag not in _TRUE + _FALSE:
        problems.append(Problem(f"{PREFIX}SMTP_STARTTLS", "must be true or false"))
    starttls = flag in _TRUE
    port_text = given["PORT"].strip() or ("587" if starttls else "25")
    port = int(port_text) if port_text.isascii() and port_text.isdigit() else 0
    if not 1 <= port <= 65_535:
        problems.append(Problem(f"{PREFIX}SMTP_PORT", "must be a port number from 1 to 65535"))
    sender = given["FROM"].strip()
    if "@" not in sender:
        problems.append(
            Problem(f"{PREFIX}SMTP_FROM", "must be the sender's address, such as "
                    "creditdesk@lender.example, when an SMTP host is set")
        )  # fmt: skip
    username, password = given["USERNAME"], given["PASSWORD"]
    if bool(username) != bool(password):
        missing = "PASSWORD" if username else "USERNAME"
        problems.append(Problem(f"{PREFIX}SMTP_{missing}", "is required with the other"))
    if username and not starttls:
        problems.append(
            Problem(f"{PREFIX}SMTP_STARTTLS", "must be true for a login: a password is never "
                    "sent in the clear")
        )  # fmt: skip
    return SmtpSettings(
        host=host,
        sender=sender,
        port=port,
        starttls=starttls,
        username=username or None,
        password=password or None,
    )
