"""Scheduled reads for platforms (or tiers) without webhooks: X mentions and keyword listening."""
