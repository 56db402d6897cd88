"""The top floor: the answer page a body opens from the link in its letter (``dondoc web``).

It calls the same functions as the command line (``workflows.orchestration.reports``,
``models.reports``) and imports every floor below it; nothing imports it.
"""
