from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, BigId, JsonDocument, UTCDateTime

if TYPE_CHECKING:
    from store.models.source import Source

RUN_RUNNING = "running"
RUN_SUCCESS = "success"
RUN_FAILED = "failed"


class CrawlRun(Base):
    """One crawl of one source: what happened, for source health and debugging."""

    __tablename__ = "crawl_runs"
    __table_args__ = (
        Index("ix_crawl_runs_source_started", "source_id", "started_at"),
        Index("ix_crawl_runs_status_started", "status", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=RUN_RUNNING)
    http_status: Mapped[int | None] = mapped_column(Integer)
    bytes_received: Mapped[int] = mapped_column(BigInteger, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    postings_new: Mapped[int] = mapped_column(Integer, default=0)
    postings_updated: Mapped[int] = mapped_column(Integer, default=0)
    postings_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    postings_closed: Mapped[int] = mapped_column(Integer, default=0)
    # A short machine-readable class (http_500, timeout, parse_error, zero_items, ...) beside the human message.
    error_kind: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)

    source: Mapped[Source] = relationship(back_populates="crawl_runs", lazy="raise")
