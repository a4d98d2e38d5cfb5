"""``python -m jobsift.admin_preview KIND URL [--name N]``: ``crawlers.preview`` for the web admin.

The same crawl, pipelines and JSON lines as ``python -m crawlers.preview`` (nothing is stored), except that each line
of a careers-page source (``jsonld``) also carries ``markup``: the JobPosting object as found on the page. The admin
reports from it which of Google's required and recommended fields the employer's markup has, which the normalised
posting can't tell (a missing ``identifier`` is made up from the URL, say). The web admin runs this in a child process:
Scrapy's reactor can't be restarted inside a web worker, and the web package imports no crawler code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from crawlers import preview
from crawlers.items import Normalised
from crawlers.pipelines.base import CrawlerPipeline
from crawlers.pipelines.output import preview_line


class MarkupLinesPipeline(CrawlerPipeline):
    """Each posting as one JSON line, with its JobPosting markup for careers pages."""

    def process_item(self, item: Normalised) -> Normalised:
        line = preview_line(item)
        if self.spider.kind == "jsonld":
            line["markup"] = item.feed.raw
        sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        self.count("previewed")
        return item


def main(argv: Sequence[str] | None = None) -> int:
    # This process runs one preview and exits, so swapping the output stage of crawlers.preview's pipelines here
    # reuses its whole crawl set-up rather than copying it.
    preview.PREVIEW_PIPELINES = {
        **{path: order for path, order in preview.PREVIEW_PIPELINES.items() if not path.endswith(".JsonLinesPipeline")},
        "jobsift.admin_preview.MarkupLinesPipeline": 900,
    }
    return preview.main(argv)


if __name__ == "__main__":
    sys.exit(main())
