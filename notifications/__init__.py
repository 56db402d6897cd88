"""Email: templates, rendering, the outbox and delivery (arrives with reminders and escalation)."""
