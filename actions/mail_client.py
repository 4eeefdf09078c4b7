"""Sends a citizen's message by e-mail (actions/messages.py): one SMTP conversation with a
timeout, through the server the settings name (SMTP_HOST, SMTP_PORT; STARTTLS and a login
when set). Every failure becomes one error type, which the action turns into a clear answer.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from components.settings import Settings


class MailError(Exception):
    """The message was not handed to the SMTP server; nothing was sent."""


def compose(settings: Settings, text: str, reply_to: str, about: str, message_key: str) -> EmailMessage:
    """The e-mail: to MESSAGES_TO, replies to the citizen; ``message_key`` makes its
    Message-ID, the same for every try of one message, so that a mail system that sees it
    twice can tell."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = settings.messages_to
    message["Reply-To"] = reply_to
    message["Subject"] = f"Message from the assistant ({about})"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{message_key}@{settings.smtp_from.rsplit('@', 1)[-1]}>"
    message.set_content(
        f"A citizen left this message with the assistant ({about}).\n"
        f"Answer them by replying to this e-mail ({reply_to}).\n"
        f"The message and the address are personal data: keep them only as long as it takes to answer.\n\n"
        f"{text}\n"
    )
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Hands the message to the SMTP server, or raises MailError."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            refused = smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
    if refused:
        raise MailError(f"refused recipients: {sorted(refused)}")
