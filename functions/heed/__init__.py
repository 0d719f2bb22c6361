"""Heed: every customer who talks to the brand on social media is heard, answered and followed up."""
