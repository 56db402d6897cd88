"""The ``dondoc`` command: the Typer app (``app``) and a module per group of commands.

``main`` imports the command modules, each of which registers its commands on the app; no
command module imports another.
"""


import sys


def main() -> None:
    """The ``dondoc`` entry point: exit codes are listed in the README (64 a usage error, 130
    interrupted)."""
    try:
        from workflows.cli import (  # noqa: F401  (registers the commands)
            audit,
            bodies,
            calendar,
            delegation,
            documents,
            outbox,
            review,
            review_forms,
            review_reports,
            review_status,
            serve,
            status,
            sweeps,
            tracking,
        )
        from workflows.cli.app import app
        from workflows.cli.usage import run

        code = run(app)
    except KeyboardInterrupt:  # a Ctrl-C while the modules load, before Typer is listening
        sys.stderr.write("dondoc: đã dừng / interrupted\n")
        code = 130
    sys.exit(code)
