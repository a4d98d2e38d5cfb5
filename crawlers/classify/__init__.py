"""Pure classifiers that turn a posting's text into filter values, each with the evidence that decided it.

``classify_posting`` runs them all over one posting. Each is driven by the data files in ``config`` (skills.toml,
sectors.toml, roles.toml, regions.toml), which are the place to tune them.
"""

from crawlers.classify.posting import Classification, Evidence, PostingText, classify_posting
from crawlers.classify.remote import classify_remote
from crawlers.classify.sector import classify_sector
from crawlers.classify.skills import extract_skills

__all__ = [
    "Classification",
    "Evidence",
    "PostingText",
    "classify_posting",
    "classify_remote",
    "classify_sector",
    "extract_skills",
]
