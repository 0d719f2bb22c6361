"""Privacy duties: what Heed stores about a customer, exported or forgotten on request (GDPR), and
Meta's data deletion callback."""
