"""Pure classifiers that turn a posting's text into filter values: skills, remote status and sector.

Each is driven by the data files in ``config`` (skills.toml, sectors.toml), which are the place to tune them.
"""

from crawlers.classify.remote import classify_remote
from crawlers.classify.sector import classify_sector
from crawlers.classify.skills import extract_skills

__all__ = ["classify_remote", "classify_sector", "extract_skills"]
