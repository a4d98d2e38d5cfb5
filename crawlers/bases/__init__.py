"""One Scrapy spider base per feed platform. A source is a row in the store; its spider is its platform's base."""
