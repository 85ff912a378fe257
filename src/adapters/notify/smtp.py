"""Email over SMTP (`EmailSender`), with the standard library's smtplib.

One connection per message: notifications are few and far between, and a connection kept open
between them would time out on the server anyway. With `starttls` the connection is upgraded to
TLS (certificate and host name checked) before anything else is said, a login included; a login
over a plain connection is refused here rather than sending a password in the clear.

Every failure becomes `DeliveryFailed` with a reason an operator can act on ("the SMTP server
at mail.example:587 refused the connection", "... refused the login (535)"). The server's own
words are left out: they often repeat the recipient's address, which is personal data, and the
reason is kept on the delivery and in dead jobs. The exception is raised from None for the same
reason, so a logged traceback does not carry the original either.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid

from attrs import field, frozen

from application.ports import DeliveryFailed, EmailMessage

REFERENCE_HEADER = "X-Creditdesk-Delivery"


@frozen
class SmtpEmailSender:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.username is not None and not self.starttls:
            raise ValueError("an SMTP login needs STARTTLS: a password is never sent in clear")

    @property
    def _where(self) -> str:
        return f"the SMTP server at {self.host}:{self.port}"

    def send(self, message: EmailMessage) -> None:
        mime = self._mime(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.tls_context or ssl.create_default_context())
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mime)
        except ConnectionRefusedError:
            raise DeliveryFailed(f"{self._where} refused the connection") from None
        except TimeoutError:
            raise DeliveryFailed(
                f"{self._where} did not answer within {self.timeout:g} s"
            ) from None
        except smtplib.SMTPAuthenticationError as refused:
            raise DeliveryFailed(f"{self._where} refused the login ({refused.smtp_code})") from None
        except smtplib.SMTPRecipientsRefused as refused:
            codes = sorted({str(code) for code, _text in refused.recipients.values()})
            raise DeliveryFailed(
                f"{self._where} refused the recipient ({', '.join(codes)})"
            ) from None
        except smtplib.SMTPResponseException as answered:
            raise DeliveryFailed(f"{self._where} answered {answered.smtp_code}") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(f"{self._where} does not offer STARTTLS") from None
        except smtplib.SMTPException as failed:
            raise DeliveryFailed(f"{self._where} failed: {type(failed).__name__}") from None
        except ssl.SSLError as failed:
            raise DeliveryFailed(f"TLS with {self._where} failed: {failed.reason}") from None
        except OSError as failed:
            reason = failed.strerror or type(failed).__name__
            raise DeliveryFailed(f"{self._where} could not be reached: {reason}") from None

    def _mime(self, message: EmailMessage) -> MimeMessage:
        mime = MimeMessage()
        mime["From"] = self.sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Date"] = formatdate(localtime=False)
        mime["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        mime[REFERENCE_HEADER] = message.reference
        mime.set_content(message.text)
        if message.html is not None:
            mime.add_alternative(message.html, subtype="html")
        return mime
