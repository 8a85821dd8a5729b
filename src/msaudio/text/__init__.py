"""Text stages: sentences and the speech script."""
