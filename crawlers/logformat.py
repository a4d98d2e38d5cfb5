from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


class QuietDropFormatter(logformatter.LogFormatter):
    """Log dropped items at INFO without dumping the whole item (a posting's description is kilobytes)."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        return {"level": logging.INFO, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
