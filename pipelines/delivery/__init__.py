"""Every write of a crawl on its way to the store: the outbox sends articles, run records and crawl errors while the
store answers, and keeps them in the site's spill journal while it does not (replayed when it answers again). It sits
above storage/ (the store itself) and stories/ (story assignment, which journaled articles still need)."""
