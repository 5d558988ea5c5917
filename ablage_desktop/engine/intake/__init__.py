"""Intake: what a file really is, its pages and text layer, read in the decoder process."""
