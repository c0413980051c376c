"""Loaders: one file in, rows in a raw table (or the quarantine) out."""
