"""Notifications: the alert rules' changes delivered to the office's receivers, the way Prometheus Alertmanager
delivers them (routes, a repeat interval, resolve messages, silences), through a persisted outbox.

- :mod:`.sink` the :class:`~hub.alert_change.AlertSink` the rules put changes in (routes matched, outbox rows
  written, nothing sent); :mod:`.worker` delivers the outbox's due rows with retries and backoff;
- :mod:`.routing` which routes match a change, quiet hours and silences; :mod:`.message` the text of a message;
- :mod:`.receiver` the seam every receiver implements; :mod:`.wecom` 企业微信 group robot, :mod:`.dingtalk` 钉钉
  group robot, :mod:`.webhook` a signed JSON webhook, :mod:`.mail` email over SMTP; :mod:`.receivers` makes
  one from its stored settings.
"""
