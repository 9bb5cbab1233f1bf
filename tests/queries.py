"""Query budgets the tests share."""

STATE_READ = 1
"""Queries of a request answered from the response store: the one read of the content
state that every request makes (`pages.caching.ContentStateMiddleware`), so a change
committed by another process shows at once."""
