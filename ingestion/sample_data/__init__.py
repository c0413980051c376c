"""Deterministic sample landing files for the fictional retailer Northwind Outfitters."""

from ingestion.sample_data.generator import generate_sample_data

__all__ = ["generate_sample_data"]
