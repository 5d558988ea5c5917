"""The Qt worker objects that run the engine's jobs in their own threads."""
