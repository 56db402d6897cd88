"""The rules of the chase: working days, reporting dates, reminders, the escalation ladder, status.

Pure functions of items, a policy and a day; no database, no clock.
"""
