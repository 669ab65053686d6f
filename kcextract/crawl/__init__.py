"""The crawler: polite fetching, discovery (feeds, sitemaps, list pages), resume, dedup."""
