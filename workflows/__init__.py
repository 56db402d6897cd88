"""From document to tracked work: parsing, extraction, assignment, scheduling, flows, the CLI."""
