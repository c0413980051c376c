"""Language, sentiment and themes of feedback texts, scored in the warehouse; no Dagster import."""
