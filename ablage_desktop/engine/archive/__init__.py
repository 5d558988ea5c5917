"""The SQLite archive: batches, documents, pages, full-text search."""
