"""Where a queued mention is triaged, answered, stored and followed up."""
