"""Standalone programs that use the hub only through its public HTTP interfaces."""
