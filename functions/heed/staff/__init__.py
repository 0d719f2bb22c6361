"""The staff HTTP API (`/staff/...`, IAM-authorised in template.yaml): the console over HTTP."""
