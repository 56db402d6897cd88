"""Reading a document: text in, a parsed programme of dated, assigned items out.

Pure: no database, no Prefect, no command line (import-linter checks it).
"""
