"""Alerts on the marts after each run (docs/follow-up.md, Alerts): what the published
copy's fct_alert_conditions says, filtered by the alert configuration, sent once per alert to
a Slack-compatible webhook and by e-mail. The sensor in defs/alerts only calls in here."""
