"""The console: a web inbox for the people who answer (pages in static/, the API in API.md)."""
