"""Pages of the app as a whole: start pages per role, language switch, health check."""
