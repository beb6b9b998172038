"""Alerts through Airflow's notifiers, configured by connections and variables (never by editing code).

Channels (each optional; with none set, a run works as before and the log says no channel is set):
  e-mail   Airflow Variable `govweb_alert_email_to` (addresses, `,`/`;`-separated) and an SMTP
           connection (`apache-airflow-providers-smtp`), id `govweb_smtp` unless Variable
           `govweb_alert_smtp_conn_id` names another; sender: the connection's extra `from_email`,
           else Variable `govweb_alert_email_from`.
  chat     an Apprise connection (`apache-airflow-providers-apprise`), id `govweb_apprise` unless
           Variable `govweb_alert_apprise_conn_id` names another; its `config` extra lists the targets
           (DingTalk, WeCom, Feishu, Slack, a plain JSON webhook `json://host/path` ...).
Connections and variables may come from the metadata DB or from AIRFLOW_CONN_* / AIRFLOW_VAR_* variables.
One channel failing to send is logged and never fails the task that alerts.
"""

from __future__ import annotations

import html
import logging
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

VAR_EMAIL_TO = "govweb_alert_email_to"
VAR_EMAIL_FROM = "govweb_alert_email_from"
VAR_SMTP_CONN = "govweb_alert_smtp_conn_id"
VAR_APPRISE_CONN = "govweb_alert_apprise_conn_id"
DEFAULT_SMTP_CONN = "govweb_smtp"
DEFAULT_APPRISE_CONN = "govweb_apprise"
AlertKind = Literal["task_failed", "crawl_health", "early_warnings"]
TITLE_PREFIX = "【政府网站评估】"


class Attachment(BaseModel):
    name: str
    content: bytes
    mime: str = "text/csv"


class Table(BaseModel):
    """A small table shown in both channels (HTML in e-mail, aligned text in chat)."""

    columns: list[str]
    rows: list[list[str]] = Field(default_factory=list)

    def as_text(self) -> str:
        return "\n".join(" | ".join(r) for r in [self.columns, *self.rows])

    def as_html(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in self.rows)
        return f'<table border="1" cellpadding="4" cellspacing="0"><tr>{head}</tr>{body}</table>'


class Alert(BaseModel):
    kind: AlertKind
    title: str
    lines: list[str] = Field(default_factory=list)  # paragraphs before the table
    table: Table | None = None
    link: str = ""  # e.g. the failed task's log
    attachments: list[Attachment] = Field(default_factory=list)

    def text(self) -> str:
        parts = ["\n".join(self.lines), self.table.as_text() if self.table else "",
                 f"链接：{self.link}" if self.link else ""]
        return "\n\n".join(p for p in parts if p)

    def html(self) -> str:
        parts = [f"<p>{html.escape(line)}</p>" for line in self.lines]
        if self.table:
            parts.append(self.table.as_html())
        if self.link:
            parts.append(f'<p>链接：<a href="{html.escape(self.link)}">{html.escape(self.link)}</a></p>')
        return "\n".join(parts)


class Channels(BaseModel):
    email_to: list[str] = Field(default_factory=list)
    email_from: str | None = None
    smtp_conn_id: str = ""  # empty: no e-mail channel
    apprise_conn_id: str = ""  # empty: no chat channel

    @property
    def names(self) -> list[str]:
        return [n for n, on in (("email", self.smtp_conn_id), ("chat", self.apprise_conn_id)) if on]


def _variable(key: str, default: str = "") -> str:
    from airflow.sdk import Variable

    try:
        return str(Variable.get(key, default=default) or "")
    except Exception:  # noqa: BLE001 - no metadata DB or API reachable: the variable is simply unset
        log.debug("variable %s not readable", key, exc_info=True)
        return default


def _connection(conn_id: str):
    from airflow.sdk import Connection

    try:
        return Connection.get(conn_id)
    except Exception:  # noqa: BLE001 - AirflowNotFoundException and friends: no such connection
        return None


def channels() -> Channels:
    """The channels configured now (variables + connections)."""
    out = Channels()
    to = [a.strip() for a in _variable(VAR_EMAIL_TO).replace(";", ",").split(",") if a.strip()]
    smtp_id = _variable(VAR_SMTP_CONN, DEFAULT_SMTP_CONN)
    if to:
        conn = _connection(smtp_id)
        if conn is None:
            log.warning("alert e-mail to %s is set but SMTP connection %r does not exist", to, smtp_id)
        else:
            out.email_to, out.smtp_conn_id = to, smtp_id
            out.email_from = conn.extra_dejson.get("from_email") or _variable(VAR_EMAIL_FROM) or None
    apprise_id = _variable(VAR_APPRISE_CONN, DEFAULT_APPRISE_CONN)
    if _connection(apprise_id) is not None:
        out.apprise_conn_id = apprise_id
    return out


def _files(alert: Alert, folder: Path) -> list[str]:
    paths = []
    for a in alert.attachments:
        p = folder / a.name
        p.write_bytes(a.content)
        paths.append(str(p))
    return paths


def notifiers(alert: Alert, ch: Channels, files: list[str]) -> dict[str, object]:
    """The Airflow notifiers for an alert, by channel name."""
    out: dict[str, object] = {}
    if ch.smtp_conn_id:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        out["email"] = SmtpNotifier(to=ch.email_to, from_email=ch.email_from, subject=alert.title,
                                    html_content=alert.html(), files=files or None, smtp_conn_id=ch.smtp_conn_id)
    if ch.apprise_conn_id:
        from airflow.providers.apprise.notifications.apprise import AppriseNotifier
        from apprise import NotifyType

        kind = NotifyType.FAILURE if alert.kind == "task_failed" else NotifyType.WARNING
        out["chat"] = AppriseNotifier(body=alert.text(), title=alert.title, notify_type=kind,
                                      attach=files or None, apprise_conn_id=ch.apprise_conn_id)
    return out


def send(alert: Alert, context: dict | None = None, ch: Channels | None = None) -> list[str]:
    """Send through every configured channel; returns the channels that sent. Never raises."""
    ch = ch or channels()
    if not ch.names:
        log.warning("no alert channel is set (Variable %s + connection %s, or connection %s): %s",
                    VAR_EMAIL_TO, DEFAULT_SMTP_CONN, DEFAULT_APPRISE_CONN, alert.title)
        return []
    sent = []
    with tempfile.TemporaryDirectory(prefix="govweb-alert-") as tmp:
        for name, notifier in notifiers(alert, ch, _files(alert, Path(tmp))).items():
            try:
                # notify(), not __call__: the texts are final, never Jinja-rendered (site names, errors)
                notifier.notify(context or {})
                sent.append(name)
            except Exception:  # noqa: BLE001 - one channel down must not fail the task that alerts
                log.exception("alert %r not sent through %s", alert.title, name)
    log.info("alert %r sent through %s", alert.title, ", ".join(sent) or "no channel")
    return sent
