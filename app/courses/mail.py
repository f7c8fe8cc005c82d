"""Sending e-mail: an SMTP sender for installations with a mail server, a log sender for
those without; `sender_for(app)` picks one from the settings."""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str  # the address
    name: str  # the person's name, shown beside the address
    subject: str
    body: str  # plain text


class MailError(Exception):
    """This e-mail could not be sent; the next one may be."""


class SenderUnavailableError(MailError):
    """No e-mail can be sent now (the server cannot be reached or refuses the login)."""


class LogSender:
    """For installations without a mail server: every e-mail goes to the log."""

    def send(self, mail):
        log.info("e-mail to %s: %s\n%s", mail.to, mail.subject, mail.body)

    def close(self):
        pass


class SmtpSender:
    """Sends over one SMTP connection, opened at the first e-mail and kept for the next."""

    def __init__(
        self,
        host,
        port=25,
        use_tls=False,
        username=None,
        password=None,
        sender="medienpass@localhost",
        timeout=30,
    ):
        self.host = host
        self.port = port
        self.use_tls = use_tls
        self.username = username
        self.password = password
        self.sender = sender
        self.timeout = timeout
        self._smtp = None

    def message(self, mail):
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr((mail.name, mail.to))
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(mail.body)
        return message

    def send(self, mail):
        connection = self._connection()
        try:
            connection.send_message(self.message(mail))
        except (smtplib.SMTPException, OSError) as error:
            # After a failure the connection's state is unknown: the next e-mail opens a new one.
            self.close()
            raise MailError(f"{mail.to}: {error}") from error

    def close(self):
        if self._smtp is None:
            return
        smtp, self._smtp = self._smtp, None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connection(self):
        if self._smtp is not None:
            return self._smtp
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as error:
            raise SenderUnavailableError(f"{self.host}:{self.port}: {error}") from error
        try:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()
            raise SenderUnavailableError(f"{self.host}:{self.port}: {error}") from error
        self._smtp = smtp
        return smtp


def sender_for(app):
    """SMTP when MAIL_SERVER is set, the log otherwise."""
    config = app.config
    if not config.get("MAIL_SERVER"):
        return LogSender()
    return SmtpSender(
        config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        use_tls=config["MAIL_USE_TLS"],
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        sender=config["MAIL_FROM"],
    )
