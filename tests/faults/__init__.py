"""The fault suite: each test pins a fault found when dondoc was attacked (issue 8), and failed before its fix."""
