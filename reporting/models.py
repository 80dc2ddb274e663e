"""Monthly, quarterly and annual reports (built in a later issue)."""
