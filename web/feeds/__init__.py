"""Atom feeds: any search, as a feed reader follows it (``/feed.atom?<the search page's parameters>``)."""
