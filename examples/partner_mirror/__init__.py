"""A partner's exact local copy of the hub's content, kept by the change feed.

Standalone: it talks to the hub over HTTP only (`requests`) and verifies webhooks with
`standardwebhooks`; nothing here imports the hub's code. See README.md.
"""
