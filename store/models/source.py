from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, BigId, JsonDocument, UTCDateTime

if TYPE_CHECKING:
    from store.models.crawl_run import CrawlRun
    from store.models.posting import Posting


class Source(Base):
    """A feed jobsift polls: one board of one platform."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(String(2000))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sector of the employer behind a single-company board; None for multi-employer boards.
    sector: Mapped[str | None] = mapped_column(String(64))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=360)
    # The platform's terms: attribution text, minimum polling interval, whether JobPosting markup may be republished.
    terms: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_crawl_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    # Validators of the last complete fetch, sent back so an unchanged feed answers 304 and is not re-parsed.
    http_etag: Mapped[str | None] = mapped_column(String(500))
    http_last_modified: Mapped[str | None] = mapped_column(String(100))
    # Removed by an admin: out of lists and crawls, its postings closed; kept so that they stay attributed.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Scheduling (migration 0007): when the source is next due; the lease a scheduler holds while its crawl runs;
    # an automatic or admin pause; the size of a normal crawl, and how many crawls in a row came out far smaller.
    next_crawl_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    usual_postings: Mapped[int | None] = mapped_column(Integer)
    shrunk_runs: Mapped[int] = mapped_column(Integer, default=0)

    postings: Mapped[list[Posting]] = relationship(back_populates="source", lazy="raise")
    crawl_runs: Mapped[list[CrawlRun]] = relationship(back_populates="source", lazy="raise")
