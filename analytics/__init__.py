"""Statistical and text models fitted on the warehouse's own data; no Dagster import."""
