from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, BigId, JsonDocument, UTCDateTime

if TYPE_CHECKING:
    from store.models.source import Source


class Posting(Base):
    """One job posting of one source. Never deleted: a posting that leaves its feed is closed.

    Normalised fields sit next to the raw value they came from (``posted_at`` / ``posted_raw``), and ``raw`` keeps the
    feed's whole item, so normalisation and classification can be re-run without re-crawling.
    """

    __tablename__ = "postings"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_postings_open_posted", "closed_at", "posted_at"),
        Index("ix_postings_remote", "remote"),
        Index("ix_postings_sector", "sector"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    external_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(String(2000))
    apply_url: Mapped[str | None] = mapped_column(String(2000))

    title: Mapped[str] = mapped_column(String(500))
    title_raw: Mapped[str] = mapped_column(Text)
    company: Mapped[str] = mapped_column(String(300))
    company_raw: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    location_raw: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[str] = mapped_column(String(16), default="unknown")
    remote_raw: Mapped[str | None] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(64), default="Other")
    employment_type: Mapped[str | None] = mapped_column(String(32))
    employment_type_raw: Mapped[str | None] = mapped_column(Text)

    salary_min: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    salary_max: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(16))
    salary_raw: Mapped[str | None] = mapped_column(Text)

    description_html: Mapped[str] = mapped_column(Text, default="")
    description_text: Mapped[str] = mapped_column(Text, default="")
    description_raw: Mapped[str | None] = mapped_column(Text)

    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posted_raw: Mapped[str | None] = mapped_column(String(100))
    # Applications close then; a posting past it is closed even if its feed still lists it.
    valid_through: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_through_raw: Mapped[str | None] = mapped_column(String(100))
    remote_regions_raw: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    tags_raw: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    seniority_raw: Mapped[str | None] = mapped_column(Text)
    company_url: Mapped[str | None] = mapped_column(String(2000))
    raw: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)

    # Classification (migration 0005); see store.records.PostingRecord for what each holds.
    remote_regions: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    seniority: Mapped[str] = mapped_column(String(16), default="unknown")
    is_backend: Mapped[bool] = mapped_column(default=True)
    visa_sponsorship: Mapped[str] = mapped_column(String(16), default="not_stated")
    salary_min_raw: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    salary_max_raw: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    salary_currency_raw: Mapped[str | None] = mapped_column(String(16))
    salary_period_raw: Mapped[str | None] = mapped_column(String(32))
    salary_annual_min: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    salary_annual_max: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    # Dedupe: one job seen on several boards is one listing. ``duplicate_of`` points at the posting that stands for
    # the listing (the first seen); it is set when a posting arrives and matches an open posting of another source.
    canonical_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("postings.id", ondelete="SET NULL"), index=True)
    # Hash of every stored field but the lifecycle ones: an unchanged hash means an unchanged posting.
    content_hash: Mapped[str] = mapped_column(String(64))

    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    source: Mapped[Source] = relationship(back_populates="postings", lazy="raise")
    skills: Mapped[list[PostingSkill]] = relationship(
        back_populates="posting", lazy="raise", cascade="all, delete-orphan", order_by="PostingSkill.position"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PostingSkill(Base):
    __tablename__ = "posting_skills"
    __table_args__ = (Index("ix_posting_skills_skill_posting", "skill", "posting_id"),)

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Order of the taxonomy, so pages list skills the same way everywhere.
    position: Mapped[int] = mapped_column(default=0)

    posting: Mapped[Posting] = relationship(back_populates="skills", lazy="raise")
