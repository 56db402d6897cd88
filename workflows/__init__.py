"""From document to tracked work, one subpackage per concern.

- ``reading``: a document's text in, a parsed programme out (pure);
- ``rules``: working days, reporting dates, reminders, the escalation ladder, status (pure);
- ``orchestration``: ingestion and the sweeps as steps, the Prefect flows, the scheduler;
- ``cli``: the ``dondoc`` command, a module per group of commands.
"""
