"""RssSpider on Atom 1.0 (a hand-made sample: no real Atom job feed is in the corpus) and on RSS extensions
(content:encoded, dc:creator). The RSS and We Work Remotely behaviour on real captures is in test_bases.py."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from crawlers.bases.rss import RssSpider, WeWorkRemotelySpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import html_to_text
from tests.conftest import FIXTURES

FEED_URL = "https://careers.example.com/jobs.atom"
ATOM = "atom/atom_made_for_tests.xml"


def run(body: bytes, spider_cls: type[RssSpider] = RssSpider) -> tuple[RssSpider, list[FeedPosting]]:
    spider = spider_cls(source_id=1, source_key="atom", source_name="Example Careers Feed", feed_url=FEED_URL)
    response = TextResponse(url=FEED_URL, body=body, encoding="utf-8", request=Request(FEED_URL))
    return spider, list(spider.parse(response))


def atom(*entries: str) -> bytes:
    return ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries) + "</feed>").encode()


def test_atom_sample_every_field() -> None:
    spider, postings = run((FIXTURES / ATOM).read_bytes())
    assert spider.complete and spider.error_kind is None
    assert len(postings) == 3
    first, second, third = postings
    assert first.external_id == "tag:careers.example.com,2026:job-101"
    # rel="alternate" wins over rel="self".
    assert first.url == "https://careers.example.com/jobs/101-backend-platform-engineer"
    # type="html" title: XML-decoded once to HTML, then rendered once to text.
    assert first.title == "Backend & Platform Engineer (Go)"
    assert first.company == "Acme Logistics GmbH"
    assert first.description_html == "<p>We build routing APIs in Go &amp; Postgres.</p><ul><li>Remote (EU)</li></ul>"
    assert first.date_posted == "2026-05-18T09:30:00+02:00"  # published, not updated
    assert first.tags == ["Backend", "Go"]
    assert (first.location, first.remote, first.employment_type, first.apply_url) == (None, None, None, None)
    assert first.raw["updated"] == "2026-05-19T12:00:00+02:00"
    assert first.raw["summary"] == "<p>Short summary that content should win over.</p>"

    # A link without rel is the alternate one, made absolute against the feed URL; no author: the source's name.
    assert second.url == "https://careers.example.com/jobs/102-sre"
    assert second.external_id == "https://careers.example.com/jobs/102"
    assert second.title == "Site Reliability Engineer & On-call Lead"
    assert second.company == "Example Careers Feed"
    assert second.date_posted == "2026-05-17T08:00:00Z"  # only updated
    # type="xhtml": the inner markup of the XHTML div, without namespaces.
    assert second.description_html == "<p>Keep <strong>Kubernetes</strong> clusters happy.</p><p>Pay: 70–90k\xa0EUR</p>"

    # Plain-text summary: escaped into HTML paragraphs.
    assert third.url == "https://careers.example.com/jobs/103"
    assert third.company == "Example Careers"
    assert (
        third.description_html
        == "<p>Pipelines in Python &lt;3 and SQL.</p><p>Second paragraph<br>with a line break.</p>"
    )
    assert html_to_text(third.description_html).startswith("Pipelines in Python <3 and SQL.\n\nSecond paragraph")


def test_atom_text_is_decoded_exactly_once() -> None:
    body = atom(
        "<entry><id>1</id><link href='https://x.example/1'/>"
        "<title type='html'>R&amp;amp;amp;D &amp;lt;Lead&amp;gt;</title>"
        "<content type='html'>&lt;p&gt;Tom &amp;amp;amp; Jerry&lt;/p&gt;</content></entry>",
        "<entry><id>2</id><link href='https://x.example/2'/><title type='text'>Fish &amp;amp; Chips</title></entry>",
    )
    _, (html_title, text_title) = run(body)
    # XML gives "R&amp;amp;D &lt;Lead&gt;" (HTML), which reads "R&amp;D <Lead>".
    assert html_title.title == "R&amp;D <Lead>"
    assert html_title.description_html == "<p>Tom &amp;amp; Jerry</p>"
    # A text title is text: XML decoding is the only level.
    assert text_title.title == "Fish &amp; Chips"


def test_atom_entry_without_id_or_link_is_skipped_and_without_link_uses_id() -> None:
    body = atom("<entry><title>Orphan</title></entry>", "<entry><id>https://x.example/9</id><title>T</title></entry>")
    spider, postings = run(body)
    assert [(p.external_id, p.url) for p in postings] == [("https://x.example/9", "https://x.example/9")]
    assert spider.complete


def test_atom_entity_expansion_is_not_performed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e1</id><link href="https://x.example/1"/>'
        b"<title>Title &b; &ext; end</title><author><name>Co &b;</name></author>"
        b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A &b; B &ext; C</p></div></content>'
        b"</entry></feed>"
    )
    _, [posting] = run(bomb)
    assert posting.title == "Title end"
    assert posting.description_html == "<p>A  B  C</p>"
    assert posting.company == "Co"
    for value in (posting.title, posting.description_html, posting.company):
        assert "aaaaaaaaaa" not in value and "root:" not in value


@pytest.mark.parametrize(
    "body",
    [
        b"<feed><entry><id>1</id></entry></feed>",  # no Atom namespace
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>',
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    ],
)
def test_atom_wrong_shapes_fail_the_crawl(body: bytes) -> None:
    spider, postings = run(body)
    assert postings == []
    assert (spider.complete, spider.error_kind) == (False, "parse_error")


def test_an_empty_atom_feed_is_complete() -> None:
    spider, postings = run(atom())
    assert postings == [] and spider.complete


RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Made-up board</title>
<item><title>Go Developer</title><link>https://board.example/1</link><guid>https://board.example/1</guid>
<dc:creator>Acme &amp; Sons</dc:creator>
<description>Short teaser</description>
<content:encoded><![CDATA[<p>The <b>full</b> posting</p>]]></content:encoded></item>
<item><title>Ops</title><link>https://board.example/2</link><author>jobs@board.example (Beta)</author>
<description>&lt;p&gt;Only a description&lt;/p&gt;</description><content:encoded>  </content:encoded></item>
<item><title>Nobody</title><link>https://board.example/3</link><description>x</description></item>
</channel></rss>"""


def test_rss_reads_content_encoded_over_description_and_dc_creator_as_company() -> None:
    spider, (full, teaser_only, anonymous) = run(RSS)
    assert full.description_html == "<p>The <b>full</b> posting</p>"
    assert full.company == "Acme & Sons"
    assert teaser_only.description_html == "<p>Only a description</p>"
    assert teaser_only.company == "jobs@board.example (Beta)"
    assert anonymous.company == "Example Careers Feed"
    assert spider.complete


def test_wwr_spider_inherits_atom_reading() -> None:
    # We Work Remotely serves RSS; given Atom, its subclass reads it through the base and keeps its all-remote rule.
    spider, postings = run((FIXTURES / ATOM).read_bytes(), WeWorkRemotelySpider)
    assert len(postings) == 3 and spider.complete
    assert postings[0].remote is True and postings[0].location is None
