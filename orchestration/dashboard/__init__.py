"""The Customer Pulse dashboard: a Streamlit app over the published read-only copy of the
marts (docs/dashboard.md). `pulse dashboard` starts it."""
