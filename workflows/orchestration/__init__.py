"""Orchestration: ingestion and the sweeps as plain steps, the Prefect flows that run them, the scheduler."""
