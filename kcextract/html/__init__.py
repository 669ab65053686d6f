"""HTML page understanding: cleaning, CMS families, article pages, list pages (see kcextract.htmltext)."""
