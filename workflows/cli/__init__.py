"""The ``dondoc`` command: the Typer app (``app``) and a module per group of commands.

``main`` imports the command modules, each of which registers its commands on the app; no
command module imports another.
"""


def main() -> None:
    from workflows.cli import documents, outbox, serve, status, sweeps, tracking  # noqa: F401  (registers the commands)
    from workflows.cli.app import app

    app()
