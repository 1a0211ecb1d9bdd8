"""Messages to clients outside the chat: e-mail over SMTP and SMS through a gateway.

Both are `MessageSender`s for the delivery worker (bot/workers/delivery.py): the outbox row holds
the whole message (`SurveyMail`: subject, text, unsubscribe link; `SurveySms`: text; both addressed
to a `Contact`), and these senders are its only renderers. Failures
are sorted the way the worker retries them: a server that is down, busy or answers 4xx is
transient (retried with backoff, so an invitation goes out once SMTP is back); a 5xx
refusal of the address is permanent.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import default
from email.utils import formatdate, make_msgid
from typing import Protocol

from bot.settings import Settings
from bot.workers.delivery import PermanentSendError, TransientSendError
from models.messages import Contact, Message, SurveyMail, SurveySms

log = logging.getLogger(__name__)
# No folding below the RFC's hard limit: a long List-Unsubscribe URL must stay one <…> token,
# not be split into encoded words that mail clients cannot follow.
_POLICY = default.clone(max_line_length=998)


class SmtpMailSender:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password = starttls, username, password
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailSender:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=password,
            timeout=settings.smtp_timeout_seconds,
        )

    def message(self, mail: SurveyMail) -> EmailMessage:
        message = EmailMessage(policy=_POLICY)
        message["From"] = self.sender
        message["To"] = _contact(mail)
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(
            domain=self.sender.rpartition("@")[2].strip("> ") or None
        )
        if mail.list_unsubscribe:
            message["List-Unsubscribe"] = f"<{mail.list_unsubscribe}>"
        message.set_content(mail.text)
        return message

    def send(self, message: Message) -> None:
        if not isinstance(message, SurveyMail):
            raise PermanentSendError(f"{message.kind} is not an e-mail")
        email = self.message(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(min(codes, default=550), "ontvanger geweigerd") from error
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code, str(error.smtp_error)[:200]) from error
        except (smtplib.SMTPException, OSError) as error:  # down, refused, timed out
            raise TransientSendError(f"SMTP {self.host}:{self.port}: {error}") from error


def _by_code(code: int, detail: str) -> Exception:
    if 400 <= code < 500:
        return TransientSendError(f"SMTP {code} {detail}")
    return PermanentSendError(f"SMTP {code} {detail}")


class SmsGateway(Protocol):
    """A provider's API for one text message to one +<country> number."""

    def send_sms(self, to: str, text: str) -> None:
        """Raise TransientSendError to be retried, PermanentSendError to give up."""
        ...


class LoggingSmsGateway:
    """For development and the demo: logs that a message would go out, never its content
    (the number and the link are personal)."""

    def __init__(self) -> None:
        self.sent = 0

    def send_sms(self, to: str, text: str) -> None:
        self.sent += 1
        log.info("sms (dev gateway, not sent): %s tekens naar een nummer", len(text))


class SmsSender:
    """Adapts an SmsGateway to the delivery worker's MessageSender."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, message: Message) -> None:
        if not isinstance(message, SurveySms):
            raise PermanentSendError(f"{message.kind} is not an SMS")
        self.gateway.send_sms(_contact(message), message.text)


def _contact(message: Message) -> str:
    """The client's address or number the message is for."""
    if not isinstance(message.to.recipient, Contact):
        raise PermanentSendError(f"{message.kind} is not addressed to a client's contact")
    return message.to.recipient.value
