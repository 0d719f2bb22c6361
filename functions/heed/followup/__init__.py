"""Follow-up: the task a person must resolve, its SLA deadlines, and the watch that alerts on them."""
