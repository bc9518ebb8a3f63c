"""Output: feed configuration for records and rejects, and the end-of-run summary."""
