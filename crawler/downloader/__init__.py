"""Download handlers of the project: Scrapy's HTTP(S) handler with bounds on what a response may send."""
