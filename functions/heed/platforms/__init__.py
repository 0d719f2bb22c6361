"""Platform adapters: each verifies, parses into `Mention`s, replies and moderates for one platform."""
