"""Where a mention enters: platform webhooks are verified, split into mentions and queued. Fast, no triage."""
