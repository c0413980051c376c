"""Vendor API clients: pull reviews, survey responses and orders into the raw layer."""
