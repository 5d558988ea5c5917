"""Text geometry: reading order, line metrics, PDF text layers."""
