"""An in-memory column index of every posting's search fields: counts, facets and pages without SQL.

At a million postings, counting a filter-only search in SQL reads hundreds of thousands of index entries, and so does
each facet: 200-600 ms a search once the result cache is cold, which it is after every crawl that changes the store.
The same answers come from NumPy arrays in single-digit milliseconds. :class:`SearchIndex` holds, for every posting,
the columns the filters and facets read (about 85 bytes a posting: 85 MB at a million), and answers a search as
a boolean mask over them:

- **columns**: id, newest date (``posted_at``, else ``first_seen_at``), yearly pay (``salary_annual_max``, else
  ``_min``) and its currency, open, listing head (not a duplicate), back-end, and small integer codes for remote,
  sector, seniority, employment type, visa sponsorship, lower-cased company, lower-cased title and source;
- **lists**: for each skill and each allowed region, the positions of the postings that have it, and in a large
  segment the same as packed bits (made at first use), which a mask reads in microseconds and the skill facet counts
  with an and and a bit count;
- **kept per segment**: the rows searches start from (live, open, back-end) and the facet cube's tally of them, so
  that a search that narrows nothing but facet columns counts no rows;
- rows are kept in result order (newest first), so a page sorted by newest is the first set bits of its mask.

Keeping it current: :meth:`SearchIndex.usable` is asked with the store's version (:func:`store.search.cache.
store_version`) before each search. The first call loads the index: inline for a small store, else in a background
thread while SQL answers. Once loaded, a changed version is caught up synchronously by reading the postings added,
updated or closed since the last read (with a minute of overlap, for transactions that committed late). Those rows go
to a small second segment, and their old rows in the main one are marked dead. Past ``MAX_DELTA`` changed rows the
index is loaded again in the background, SQL answering meanwhile; ``rebuild_after`` seconds after a full load it is
loaded again while the old state keeps answering, which catches the changes that leave the version as it was (a
reclassification, a duplicate promoted, a reopened posting): they show within that time. Answers never differ from
SQL's, only their speed.

Keywords: the full-text backend gives the ids of the postings that match each phrase (``Matches``, one query a
phrase, kept for the later searches that have it and brought up to date from the postings a catch-up read), and
they become more conditions of the mask. A page by
relevance is ranked here too (:meth:`SearchIndex._relevance`): each phrase weighs by its rarity (how many postings
match it) and by where a posting has it (title, company name, or elsewhere), from the stems of every title and
company name, which the index keeps as codes. The backends' own ranking (bm25, ts_rank_cd) would read every match's
term statistics: hundreds of milliseconds for a common word at a million postings.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from store.models import Posting, PostingSkill, Source
from store.search.keywords import KeywordQuery, stem, stems
from store.search.summaries import PostingSummary, read_summaries

if TYPE_CHECKING:
    from store.search import PostingFilters

log = logging.getLogger(__name__)

# The summaries a load reads for result pages: of this many first rows of the landing page (newest first), and of
# this many of its best paid (about a kilobyte each).
HOT_NEWEST = 10_000
HOT_BEST_PAID = 2_000
# Rows changed since the last full load, kept in the second segment; past this a full load is started.
MAX_DELTA = 20_000
DEFAULT_REBUILD_AFTER = 600.0
# A store with at most this many postings (by its newest id) is loaded in the searching thread: in tenths of a
# second, and the first search is answered from the index, as every later one.
INLINE_BELOW = 20_000
# Seconds after a failed background load before a search starts another.
RETRY_AFTER = 30.0
# Changes are read back to this long before the newest one seen: a transaction may commit after a later one.
OVERLAP = timedelta(seconds=60)
# Rows read per query when loading.
_BATCH = 100_000
_IDS_PER_QUERY = 500
_FACET_COLUMNS = ("remote", "sector", "seniority", "employment_type", "visa_sponsorship")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NONE = -1
_MASKS_KEPT = 8
# Full-text matches kept by phrase: at most this many bytes of posting ids.
_PHRASE_BYTES = 64 << 20
# Kept matches are brought up to date by asking the backend about the postings changed since, up to this many; past
# it, they are fetched again whole.
_REFRESH_AT_MOST = 5_000
# A new load fetches again the matches of this many of the phrases searched last, before it answers.
_CARRIED = 16
# Relevance: a required phrase found in the title counts this many times as much as one found only in the body;
# in the company name, COMPANY times.
TITLE = 3.0
COMPANY = 2.0
# Segments of at least this many rows find rows by id through a table rather than a binary search, and keep each
# skill's and region's rows as packed bits.
_TABLE_FROM = 50_000
# A page's rows are looked for in chunks of the mask, the first of this many rows (or 64 a row wanted), growing 4-fold.
_FIRST_CHUNK = 4096
_CHUNK_PER_WANTED = 64


def _micros(value: datetime | None) -> int:
    if value is None:
        return 0
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


class _Codes:
    """Values of one column as small integers (None is -1), shared by both segments."""

    __slots__ = ("codes", "values")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str | None) -> int:
        if value is None:
            return _NONE
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def find(self, value: str) -> int | None:
        return self.codes.get(value)


class _Words:
    """Texts (titles, company names) as codes, and for each stem the codes of the texts that have it: which
    postings name a phrase's words in their title, without reading the titles again."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.size = 0
        self._by_stem: dict[str, list[int]] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def code(self, text: str | None) -> int:
        key = (text or "").lower()
        found = self.codes.get(key)
        if found is None:
            with self._lock:
                found = self.codes.get(key)
                if found is None:
                    found = self._add(key)
                    self.codes[key] = found
        return found

    def sync(self, values: Sequence[str]) -> None:
        """Take the texts of codes given elsewhere (``_Codes.values``), code for code, up to the last one."""
        if self.size < len(values):
            with self._lock:
                for text in values[self.size : len(values)]:
                    self._add(text)

    def _add(self, text: str) -> int:
        code = self.size
        for word in set(stems(text)):
            self._by_stem.setdefault(word, []).append(code)
        self.size = code + 1
        return code

    def having(self, words: tuple[str, ...]) -> np.ndarray:
        """For each code so far, whether its text has every one of these stems."""
        size = self.size
        found = np.ones(size, dtype=bool) if words else np.zeros(size, dtype=bool)
        for word in words:
            listed = self._by_stem.get(word, [])
            codes = self._arrays.get(word)
            if codes is None or len(codes) != len(listed):
                codes = self._arrays[word] = np.asarray(listed[: len(listed)], dtype=np.int32)
            has = np.zeros(size, dtype=bool)
            has[codes[codes < size]] = True
            found &= has
        return found


@dataclass
class _Segment:
    """Columns of some postings, newest first (newest date, then id, both descending)."""

    ids: np.ndarray  # int64
    newest: np.ndarray  # int64, microseconds since the epoch
    pay: np.ndarray  # float64, NaN when no salary is stated
    currency: np.ndarray  # int16 code
    open: np.ndarray  # bool: not closed
    head: np.ndarray  # bool: not a duplicate of another posting
    backend: np.ndarray  # bool
    facets: dict[str, np.ndarray]  # column -> int16 codes
    company: np.ndarray  # int32 code of the lower-cased company
    title: np.ndarray  # int32 code of the lower-cased title (``_Columns.titles``)
    source: np.ndarray  # int64 source id
    unrestricted: np.ndarray  # bool: a remote job open everywhere (no allowed regions)
    regions: dict[str, np.ndarray]  # region -> positions (int32) of postings that allow it
    skills: dict[str, np.ndarray]  # skill -> positions (int32) of postings that name it
    alive: np.ndarray  # bool: False once a newer row of the posting is in the delta segment
    by_id: np.ndarray  # positions ordered by id, for finding a posting's row
    _salary_order: np.ndarray | None = None
    _cube: np.ndarray | None = None

    def cube(self, radices: tuple[int, ...]) -> np.ndarray:
        """Each row's cell of the facet cube: back-end, then each facet column's code + 1, in mixed radix."""
        if self._cube is None:
            cell = self.backend.astype(np.int64)
            for name, radix in zip(_FACET_COLUMNS, radices, strict=True):
                cell = cell * radix + (self.facets[name].astype(np.int64) + 1)
            self._cube = cell
        return self._cube

    _by_id_table: np.ndarray | None = None
    # Each skill's and region's rows as packed bits (1 bit a row), made at a search's first use of it in a large
    # segment: unpacking one is some 20 times faster than setting its positions in a fresh mask. Shared by the
    # segment's copies (a catch-up replaces ``alive`` only; positions don't change).
    _bits: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    _among: dict[str, tuple[tuple[str, ...], np.ndarray]] = field(default_factory=dict)  # see :meth:`among`
    _stated: np.ndarray | None = None
    # Where searches start, per (include_closed, include_other_roles), and what follows from it (:meth:`tally`); not
    # carried to a copy with another ``alive``.
    _bases: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def holding(self, posting_ids: np.ndarray) -> np.ndarray:
        """A mask of the rows of these posting ids (ids the segment lacks are left out)."""
        mask = np.zeros(len(self), dtype=bool)
        if not len(self) or not len(posting_ids):
            return mask
        if len(self) >= _TABLE_FROM:
            # Ids are dense: a table from id to position answers in one gather (4 bytes an id).
            if self._by_id_table is None:
                table = np.full(int(self.ids.max()) + 1, -1, dtype=np.int32)
                table[self.ids] = np.arange(len(self), dtype=np.int32)
                self._by_id_table = table
            table = self._by_id_table
            found = table[posting_ids[(posting_ids >= 0) & (posting_ids < len(table))]]
            mask[found[found >= 0]] = True
            return mask
        at = np.searchsorted(self.ids, posting_ids, sorter=self.by_id)
        inside = at < len(self)
        at, wanted = at[inside], posting_ids[inside]
        rows = self.by_id[at]
        mask[rows[self.ids[rows] == wanted]] = True
        return mask

    def _listed(self, kind: str, key: str) -> np.ndarray | None:
        return (self.skills if kind == "skill" else self.regions).get(key)

    def bits(self, kind: str, key: str) -> np.ndarray | None:
        """The rows listed under ``key`` in ``self.skills`` (``kind`` "skill") or ``self.regions`` ("region") as
        packed bits (:func:`_packed`), made at first use; None when the key is unknown."""
        found = self._bits.get((kind, key))
        if found is None:
            positions = self._listed(kind, key)
            if positions is None:
                return None
            mask = np.zeros(len(self), dtype=bool)
            mask[positions] = True
            found = self._bits[(kind, key)] = _packed(mask)
        return found

    def among(self, skill: str) -> tuple[tuple[str, ...], np.ndarray]:
        """Which of the rows naming ``skill`` name each skill: (the skills, a matrix of packed bits with a row per
        skill and a bit per row of ``skill``'s, in their order). The skill facet of a search that requires
        ``skill`` ands its rows with these, a fraction of the words of a whole segment's. Made at first use (20-60
        ms at a million postings) and kept for the ``_AMONG_KEPT`` skills used last; shared by the segment's copies
        (positions don't change at a catch-up)."""
        found = self._among.get(skill)
        if found is not None:
            with contextlib.suppress(KeyError):  # another thread moved or dropped it meanwhile
                self._among[skill] = self._among.pop(skill)  # the most recently used last
        else:
            rows = self.skills[skill]
            names = tuple(self.skills)
            together = np.stack([_packed(self.rows("skill", other)[rows]) for other in names])
            together.flags.writeable = False
            for oldest in list(self._among)[: max(0, len(self._among) - _AMONG_KEPT + 1)]:
                self._among.pop(oldest, None)
            found = self._among[skill] = (names, together)
        return found

    def rows(self, kind: str, key: str) -> np.ndarray:
        """A fresh mask of the rows listed under ``key`` (see :meth:`bits`); none when the key is unknown."""
        n = len(self)
        if n < _TABLE_FROM:
            mask = np.zeros(n, dtype=bool)
            positions = self._listed(kind, key)
            if positions is not None:
                mask[positions] = True
            return mask
        bits = self.bits(kind, key)
        if bits is None:
            return np.zeros(n, dtype=bool)
        return np.unpackbits(bits.view(np.uint8), count=n).view(bool)

    def base(self, include_closed: bool, other_roles: bool) -> np.ndarray:
        """A fresh mask of the rows every search starts from: the live heads of listings, open ones unless
        ``include_closed``, back-end roles unless ``other_roles``."""
        key = (include_closed, other_roles)
        found = self._bases.get(key)
        if found is None:
            found = self.alive & self.head
            if not include_closed:
                found &= self.open
            if not other_roles:
                found &= self.backend
            found.flags.writeable = False
            self._bases[key] = found
        return found.copy()

    def starts(self, include_closed: bool) -> int:
        """How many rows the facet counts of a search start from (:meth:`base`, other roles included)."""
        key = ("rows", include_closed)
        found = self._bases.get(key)
        if found is None:
            found = self._bases[key] = int(np.count_nonzero(self.base(include_closed, True)))
        return found  # type: ignore[no-any-return]

    def tally(self, include_closed: bool, region: str | None, radices: tuple[int, ...], cells: int) -> np.ndarray:
        """The rows of :meth:`starts` per cell of the facet cube, of those open to ``region`` if given (a region
        some posting allows: the key is bounded by the data, not by what is asked): the counts of every search
        that narrows nothing else, kept. Read-only."""
        key = ("tally", include_closed, region, radices)
        found = self._bases.get(key)
        if found is None:
            rows = self.base(include_closed, True)
            if region is not None:
                rows &= _open_to(self, region)
            found = _tally(self.cube(radices), rows, cells)
            found.flags.writeable = False
            self._bases[key] = found
        return found  # type: ignore[no-any-return]

    def skill_cells(
        self, include_closed: bool, region: str | None, radices: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        """How many of the rows of :meth:`tally` (same arguments) name each skill, per cell of the facet cube:
        (the cells some row is in, a matrix of counts with a row per such cell and a column per skill, the skills).
        A search that narrows nothing else counts its skill facet from it: a sum over the cells it chooses. Made
        at first use (tens of milliseconds), and kept for the few keys used last."""
        key = ("skill cells", include_closed, region, radices)
        found = self._bases.get(key)
        if found is not None:
            with contextlib.suppress(KeyError):  # another thread moved or dropped it meanwhile
                self._bases[key] = self._bases.pop(key)  # the most recently used last
        else:
            cube = self.cube(radices)
            present = np.flatnonzero(np.bincount(cube))
            lookup = np.zeros(int(present[-1]) + 1 if len(present) else 0, dtype=np.int32)
            lookup[present] = np.arange(len(present), dtype=np.int32)
            dense = lookup[cube]
            rows = self.base(include_closed, True)
            if region is not None:
                rows &= _open_to(self, region)
            names = tuple(self.skills)
            # float32 holds every count exactly (at most the rows, far below 2**24) and sums them with BLAS.
            counts = np.zeros((len(present), len(names)), dtype=np.float32)
            for i, skill in enumerate(names):
                positions = self.skills[skill]
                counts[:, i] = np.bincount(dense[positions[rows[positions]]], minlength=len(present))
            counts.flags.writeable = False
            found = (present, counts, names)
            kept = [k for k in list(self._bases) if k[0] == "skill cells"]
            for oldest in kept[: max(0, len(kept) - _SKILL_CELLS_KEPT + 1)]:
                self._bases.pop(oldest, None)
            self._bases[key] = found
        return found  # type: ignore[no-any-return]

    def skill_cell_keys(self) -> list[tuple[bool, str | None]]:
        """(include_closed, region) of each :meth:`skill_cells` kept, the oldest first."""
        return [(key[1], key[2]) for key in list(self._bases) if key[0] == "skill cells"]

    def without(self, died: np.ndarray) -> _Segment:
        """A copy in which the rows at positions ``died`` (live ones) are dead, for a catch-up. The skill counts per
        cell (:meth:`skill_cells`) are carried over, less what those rows counted; the rest kept is made again."""
        alive = self.alive.copy()
        alive[died] = False
        copy = replace(self, alive=alive)
        for key, found in list(self._bases.items()):
            if key[0] != "skill cells":
                continue
            _, include_closed, region, radices = key
            present, counts, names = found
            gone = died[self.base(include_closed, True)[died]]  # rows it counted
            if region is not None:
                gone = gone[_open_to(self, region)[gone]]
            if len(gone):
                counts = counts.copy()
                cells = np.searchsorted(present, self.cube(radices)[gone])
                for i, skill in enumerate(names):
                    positions = self.skills[skill]
                    at = np.minimum(np.searchsorted(positions, gone), len(positions) - 1)
                    named = positions[at] == gone
                    np.subtract.at(counts[:, i], cells[named], 1)
                counts.flags.writeable = False
            copy._bases[key] = (present, counts, names)
        return copy

    def posted_rows(self, micros: int) -> int:
        """How many rows are posted at ``micros`` or later: they come first, as rows are newest first."""
        return len(self) - int(np.searchsorted(self.newest[::-1], micros, side="left"))

    def stated(self) -> np.ndarray:
        """Whether each row states a salary (read-only)."""
        if self._stated is None:
            stated = ~np.isnan(self.pay)
            stated.flags.writeable = False
            self._stated = stated
        return self._stated

    def position(self, posting_id: int) -> int | None:
        at = int(np.searchsorted(self.ids, posting_id, sorter=self.by_id))
        if at < len(self.by_id) and self.ids[self.by_id[at]] == posting_id:
            return int(self.by_id[at])
        return None

    def salary_order(self) -> np.ndarray:
        """Positions by pay (stated first, highest first), then newest first: the salary sort."""
        if self._salary_order is None:
            stated = self.stated()
            pay = np.where(stated, self.pay, 0.0)
            # Rows are newest first already; a stable sort keeps that among equal pay.
            self._salary_order = np.lexsort((-pay, ~stated)).astype(np.int32)
        return self._salary_order


class _Columns:
    """Everything both segments share: value codes, the cube's radices, and the source keys."""

    def __init__(self) -> None:
        self.facets = {column: _Codes() for column in _FACET_COLUMNS}
        self.currency = _Codes()
        self.company = _Codes()
        self.titles = _Words()
        self.company_words = _Words()  # the stems of ``company``'s values, code for code
        self.sources: dict[str, int] = {}  # key -> id
        self.source_keys: dict[int, str] = {}
        # Radix of each facet column in a row's cube cell (its code + 1; 0 is None), fixed at the first load with
        # room for new values; a value past it makes the next catch-up load everything again.
        self.radices: tuple[int, ...] = ()

    def fix_radices(self) -> None:
        self.radices = tuple(len(self.facets[c].values) + 3 for c in _FACET_COLUMNS)

    def fits(self) -> bool:
        return all(len(self.facets[c].values) + 1 < r for c, r in zip(_FACET_COLUMNS, self.radices, strict=True))

    @property
    def cells(self) -> int:
        return 2 * int(np.prod(self.radices))


def _columns(dialect: str) -> tuple[sa.ColumnElement[Any], ...]:
    newest: sa.ColumnElement[Any] = sa.func.coalesce(Posting.posted_at, Posting.first_seen_at)
    if dialect == "sqlite":
        # Stored as ISO text: NumPy parses it in C.
        newest = sa.type_coerce(newest, sa.String)
    else:
        newest = sa.cast(sa.extract("epoch", newest) * 1_000_000, sa.BigInteger)
    return (
        Posting.id,
        newest,
        sa.type_coerce(sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min), sa.Float),
        Posting.salary_currency,
        Posting.closed_at.is_(None),
        Posting.duplicate_of.is_(None),
        Posting.is_backend,
        *(getattr(Posting, name) for name in _FACET_COLUMNS),
        Posting.company,
        Posting.source_id,
        sa.type_coerce(Posting.remote_regions, sa.String),
        Posting.title,
    )


Raw = tuple[Any, ...]
# ``fetch(phrase, among)``: the ids of the postings that match a phrase (sorted or not), among some ids or all; None
# when the phrase has nothing the backend indexes.
Fetch = Callable[[tuple[str, ...], "np.ndarray | None"], "np.ndarray | None"]
# A search's full-text matches, from its backend: the ids matching each required phrase, and those matching each
# excluded phrase. None: the phrase has nothing the backend indexes (a stop word on PostgreSQL), so it is no
# condition; a search whose every required phrase is such matches nothing, as its full-text query does.
Matches = tuple[tuple[np.ndarray | None, ...], tuple[np.ndarray | None, ...]]


def _read_all(connection: sa.Connection) -> tuple[list[Raw], dict[str, np.ndarray]]:
    """Every posting's row (in id order) and, per skill, the ids of the postings that name it."""
    columns = _columns(connection.dialect.name)
    rows: list[Raw] = []
    after = 0
    while True:
        batch = connection.execute(
            sa.select(*columns).where(Posting.id > after).order_by(Posting.id).limit(_BATCH)
        ).all()
        rows += batch
        if len(batch) < _BATCH:
            break
        after = batch[-1][0]
    skills: dict[str, np.ndarray] = {}
    for (skill,) in connection.execute(sa.select(PostingSkill.skill).distinct()):
        ids = connection.scalars(sa.select(PostingSkill.posting_id).where(PostingSkill.skill == skill)).all()
        skills[skill] = np.fromiter(ids, dtype=np.int64, count=len(ids))
    return rows, skills


def _read_ids(connection: sa.Connection, ids: Sequence[int]) -> list[tuple[Raw, tuple[str, ...]]]:
    """The rows of these postings, each with its skills."""
    columns = _columns(connection.dialect.name)
    out = []
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _IDS_PER_QUERY):
        chunk = ordered[start : start + _IDS_PER_QUERY]
        skills: dict[int, list[str]] = {}
        for posting_id, skill in connection.execute(
            sa.select(PostingSkill.posting_id, PostingSkill.skill).where(PostingSkill.posting_id.in_(chunk))
        ):
            skills.setdefault(posting_id, []).append(skill)
        for row in connection.execute(sa.select(*columns).where(Posting.id.in_(chunk))):
            out.append((tuple(row), tuple(skills.get(row[0], ()))))
    return out


def _micros_of(values: Sequence[Any]) -> np.ndarray:
    if values and isinstance(values[0], str):
        return np.array(values, dtype="datetime64[us]").astype(np.int64)
    return np.fromiter((int(v) for v in values), dtype=np.int64, count=len(values))


def _regions(value: Any) -> list[str]:
    if value is None or value in ("[]", "null"):
        return []
    found = json.loads(value) if isinstance(value, str) else value
    return [str(region) for region in found or ()]


def _segment(rows: Sequence[Raw], skill_ids: dict[str, np.ndarray], columns: _Columns) -> _Segment:
    """A segment of these rows (sorted by id), newest first; ``skill_ids``: skill -> ids of the rows naming it."""
    n = len(rows)
    cols: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [()] * 16
    ids = np.fromiter(cols[0], dtype=np.int64, count=n)
    newest = _micros_of(cols[1])
    order = np.lexsort((-ids, -newest)) if n else np.zeros(0, dtype=np.int64)
    rank = np.empty(n, dtype=np.int32)
    rank[order] = np.arange(n, dtype=np.int32)

    def column(values: Iterable[Any], dtype: Any) -> np.ndarray:
        return np.fromiter(values, dtype=dtype, count=n)[order]

    facets = {}
    for i, name in enumerate(_FACET_COLUMNS):
        codes = columns.facets[name]
        facets[name] = column((codes.code(v) for v in cols[7 + i]), np.int16)
    company = columns.company
    regions: dict[str, list[int]] = {}
    unrestricted = np.ones(n, dtype=bool)
    for at, value in enumerate(cols[14]):
        found = _regions(value)
        if found:
            unrestricted[rank[at]] = False
            for region in found:
                regions.setdefault(region, []).append(int(rank[at]))
    skills = {}
    for skill, posting_ids in skill_ids.items():
        at = np.searchsorted(ids, posting_ids)
        at = at[(at < n) & (ids[np.minimum(at, n - 1)] == posting_ids)] if n else at[:0]
        if len(at):
            skills[skill] = np.sort(rank[at])
    ids = ids[order]
    return _Segment(
        ids=ids,
        newest=newest[order],
        pay=column((float("nan") if v is None else float(v) for v in cols[2]), np.float64),
        currency=column((columns.currency.code(v) for v in cols[3]), np.int16),
        open=column((bool(v) for v in cols[4]), bool),
        head=column((bool(v) for v in cols[5]), bool),
        backend=column((bool(v) for v in cols[6]), bool),
        facets=facets,
        company=column((company.code((v or "").lower()) for v in cols[12]), np.int32),
        title=column((columns.titles.code(v) for v in cols[15]), np.int32),
        source=column(cols[13], np.int64),
        unrestricted=unrestricted,
        regions={region: np.asarray(found, dtype=np.int32) for region, found in regions.items()},
        skills=skills,
        alive=np.ones(n, dtype=bool),
        by_id=np.argsort(ids, kind="stable").astype(np.int32),
    )


def _delta(rows: dict[int, tuple[Raw, tuple[str, ...]]], columns: _Columns) -> _Segment:
    ordered = [rows[posting_id] for posting_id in sorted(rows)]
    skill_ids: dict[str, list[int]] = {}
    for row, skills in ordered:
        for skill in skills:
            skill_ids.setdefault(skill, []).append(row[0])
    return _segment(
        [row for row, _ in ordered], {k: np.asarray(v, dtype=np.int64) for k, v in skill_ids.items()}, columns
    )


@dataclass(frozen=True)
class _State:
    """One consistent state of the index: what a search reads, replaced whole on every change."""

    columns: _Columns
    main: _Segment
    delta: _Segment
    delta_rows: dict[int, tuple[Raw, tuple[str, ...]]]
    version: tuple[Any, ...]
    # Watermarks of the last read: the newest id, update and closing seen.
    max_id: int
    max_updated: datetime | None
    max_closed: datetime | None
    loaded_at: float
    # The update and closing of each posting in the delta segment, as last read.
    stamps: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    # The last few masks computed, shared by the calls of one search (its total, page and facets); never written to.
    masks: dict[Hashable, Any] = field(default_factory=dict)
    # Full-text matches by phrase (see ``SearchIndex.matches``), oldest use first, each with the number of catch-ups
    # it has seen; one dict for every state of a load.
    phrases: dict[tuple[str, ...], tuple[np.ndarray | None, int]] = field(default_factory=dict)
    # The ids of the postings each catch-up since the load read again (sorted).
    changed: tuple[np.ndarray, ...] = ()
    # The summaries of the postings result pages show most (:meth:`SearchIndex.summaries`), read at the load; a
    # catch-up leaves out those it read again.
    summaries: dict[int, PostingSummary] = field(default_factory=dict)


def _first_summaries(connection: sa.Connection, main: _Segment) -> dict[int, PostingSummary]:
    """The summaries of the ``HOT_NEWEST`` first rows of the landing page and the ``HOT_BEST_PAID`` best paid of
    them: a search's first page is among its first rows by date (or pay), so those of most searches are there."""
    rows = main.base(False, False)
    by_pay = main.salary_order()
    chosen = np.concatenate((np.flatnonzero(rows)[:HOT_NEWEST], by_pay[rows[by_pay]][:HOT_BEST_PAID]))
    ids = sorted(set(main.ids[chosen].tolist()))
    found: dict[int, PostingSummary] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        found.update(read_summaries(connection, ids[start : start + _IDS_PER_QUERY]))
    return found


def _watermarks(connection: sa.Connection) -> tuple[Any, ...]:
    """The store's version, as ``store.search.cache.store_version`` reads it: the newest id, update and closing."""
    row = connection.execute(
        sa.select(
            *(
                sa.select(sa.func.max(column)).scalar_subquery()
                for column in (Posting.id, Posting.updated_at, Posting.closed_at)
            )
        )
    ).one()
    return tuple(row)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value  # type: ignore[no-any-return]


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


class SearchIndex:
    """The column index of one process; thread-safe. ``usable`` says whether it answers at a store version.

    A store of more than ``inline_below`` postings is loaded in a background thread, SQL answering meanwhile;
    ``background=False`` always loads in the searching thread (benchmarks and one-shot commands)."""

    def __init__(
        self,
        *,
        rebuild_after: float = DEFAULT_REBUILD_AFTER,
        max_delta: int = MAX_DELTA,
        clock: Callable[[], float] = time.monotonic,
        background: bool = True,
        inline_below: int = INLINE_BELOW,
    ) -> None:
        self.rebuild_after = rebuild_after
        self.inline_below = inline_below
        self.max_delta = max_delta
        self._clock = clock
        self._background = background
        self._state: _State | None = None
        self._lock = threading.Lock()  # held while catching up or replacing the state
        self._loading: threading.Thread | None = None
        self._failed_at: float | None = None
        self.loads = 0
        self.catch_ups = 0
        self.rows_caught_up = 0  # rows read by catch-ups, for tests and logs

    # --- keeping current -------------------------------------------------------------------------------------

    def load(self, engine: Engine) -> None:
        """Read every posting, blocking, and answer from what was read."""
        started = self._clock()
        columns = _Columns()
        with engine.connect() as connection:
            version = _watermarks(connection)
            rows, skill_ids = _read_all(connection)
            for source_id, key in connection.execute(sa.select(Source.id, Source.key)):
                columns.sources[key] = source_id
                columns.source_keys[source_id] = key
            phrases = self._carried(connection)
        main = _segment(rows, skill_ids, columns)
        columns.fix_radices()
        if len(main) >= _TABLE_FROM:
            # What searches will use, made here rather than by a search: the skill counts per cell of the searches
            # narrowing nothing (the landing page), and those per cell and per skill the last state had made.
            before = self._state.main if self._state is not None else None
            for include_closed, region in dict.fromkeys([(False, None), *(before.skill_cell_keys() if before else [])]):
                if region is None or region in main.regions:
                    main.skill_cells(include_closed, region, columns.radices)
            for skill in list(before._among) if before else []:
                if skill in main.skills:
                    main.among(skill)
        with engine.connect() as connection:
            summaries = _first_summaries(connection, main)
        state = _State(
            columns=columns,
            main=main,
            delta=_segment([], {}, columns),
            delta_rows={},
            version=version,
            max_id=int(version[0] or 0),
            max_updated=_as_datetime(version[1]),
            max_closed=_as_datetime(version[2]),
            loaded_at=started,
            phrases=phrases,
            summaries=summaries,
        )
        with self._lock:
            self._state = state
            self.loads += 1
        log.info("search index: %d postings loaded in %.1f s", len(rows), self._clock() - started)

    def _carried(self, connection: sa.Connection) -> dict[tuple[str, ...], tuple[np.ndarray | None, int]]:
        """The matches of the phrases searched last, fetched again for a new load: a reload every
        ``rebuild_after`` seconds must not make the next search of a common word wait for them."""
        previous = self._state
        if previous is None or not previous.phrases:
            return {}
        from store.search import postgres_fts, sqlite_fts

        backend = sqlite_fts if connection.dialect.name == "sqlite" else postgres_fts
        with Session(bind=connection) as session:
            return {
                phrase: (_sorted(backend.match_ids(session, phrase)), 0)
                for phrase in list(previous.phrases)[-_CARRIED:]
            }

    def _start_load(self, engine: Engine) -> None:
        if self._loading is not None and self._loading.is_alive():
            return
        if self._failed_at is not None and self._clock() - self._failed_at < RETRY_AFTER:
            return

        def run() -> None:
            try:
                self.load(engine)
                self._failed_at = None
            except Exception:  # the searches go on in SQL; a search after RETRY_AFTER tries again
                self._failed_at = self._clock()
                log.exception("search index: loading failed")

        self._loading = threading.Thread(target=run, name="jobsift-search-index", daemon=True)
        self._loading.start()

    def usable(self, session: Session, version: tuple[Any, ...]) -> bool:
        """Whether the index answers for ``version`` (or a newer one) now; catches up with small changes first."""
        state = self._state
        if state is None or self._clock() - state.loaded_at >= self.rebuild_after:
            if self._background and int(version[0] or 0) > self.inline_below:
                self._start_load(_engine(session))
            else:
                self.load(_engine(session))
                state = self._state
            if state is None:
                return False
        if state.version == version:
            return True
        return self._catch_up(session, version)

    def _catch_up(self, session: Session, version: tuple[Any, ...]) -> bool:
        with self._lock:
            state = self._state
            if state is None:
                return False
            if state.version == version:
                return True
            connection = session.connection()
            # Read again: on PostgreSQL each statement sees what committed before it, so this may be newer than
            # ``version``; the index then answers from the newer state, as a search a moment later would.
            marks = _watermarks(connection)
            # What changed since the last read (back to OVERLAP before it), with when: a posting read again at the
            # same update and closing is left as it is.
            where: list[sa.ColumnElement[bool]] = [Posting.id > state.max_id]
            if state.max_updated is not None:
                where.append(Posting.updated_at >= state.max_updated - OVERLAP)
            if state.max_closed is not None:
                where.append(Posting.closed_at >= state.max_closed - OVERLAP)
            elif marks[2] is not None:
                where.append(Posting.closed_at.is_not(None))
            found: dict[int, tuple[Any, Any]] = {}
            for condition in where:  # one query each, so that each uses its index
                for posting_id, updated, closed in connection.execute(
                    sa.select(Posting.id, Posting.updated_at, Posting.closed_at).where(condition)
                ):
                    found[posting_id] = (updated, closed)
            changed_ids = [posting_id for posting_id, stamp in found.items() if state.stamps.get(posting_id) != stamp]
            delta_rows = dict(state.delta_rows)
            if len(delta_rows) + len(changed_ids) > self.max_delta:
                if self._background and int(version[0] or 0) > self.inline_below:
                    self._start_load(_engine(session))
                else:
                    self._state = None
                return False
            changed = _read_ids(connection, sorted(changed_ids))
            for source_id, key in connection.execute(sa.select(Source.id, Source.key)):
                state.columns.sources[key] = source_id
                state.columns.source_keys[source_id] = key
            stamps = {**state.stamps, **{posting_id: found[posting_id] for posting_id in changed_ids}}
            died = []
            for row, skills in changed:
                delta_rows[row[0]] = (row, skills)
                at = state.main.position(row[0])
                if at is not None and state.main.alive[at]:
                    died.append(at)
            # A copy: searches in flight read the old.
            main = state.main.without(np.asarray(died, dtype=np.int64)) if died else state.main
            delta = _delta(delta_rows, state.columns) if changed else state.delta
            if not state.columns.fits():  # a new facet value: the cube needs wider radices
                if self._background and int(version[0] or 0) > self.inline_below:
                    self._start_load(_engine(session))
                else:
                    self._state = None
                return False
            self._state = replace(
                state,
                main=main,
                delta=delta,
                delta_rows=delta_rows,
                stamps=stamps,
                version=marks,
                masks={},
                changed=(*state.changed, np.asarray(sorted(changed_ids), dtype=np.int64)) if changed else state.changed,
                summaries=(
                    {k: v for k, v in state.summaries.items() if k not in found} if changed else state.summaries
                ),
                max_id=max(int(marks[0] or 0), state.max_id),
                max_updated=_later(state.max_updated, _as_datetime(marks[1])),
                max_closed=_later(state.max_closed, _as_datetime(marks[2])),
            )
            self.catch_ups += 1
            self.rows_caught_up += len(changed)
            return True

    # --- answering ---------------------------------------------------------------------------------------------

    def _segments(self) -> tuple[_Columns, tuple[_Segment, ...], Callable[..., np.ndarray]]:
        """The state's columns and segments, and a ``mask(segment, filters, ...)`` that remembers the last few."""
        state = self._state
        assert state is not None
        masks = state.masks

        def mask(
            segment: _Segment, filters: PostingFilters, *, columns_too: bool = True, matches: Matches | None = None
        ) -> np.ndarray:
            from store.search import posted_since

            since = posted_since(filters.posted_within) if filters.posted_within else None
            key = (id(segment), filters, columns_too, since)
            found = masks.get(key)
            if found is None:
                found = _mask(
                    state.columns, segment, filters, columns_too=columns_too, roles=columns_too, matches=matches
                )
                while len(masks) >= _MASKS_KEPT:
                    try:
                        del masks[next(iter(masks))]
                    except (KeyError, StopIteration, RuntimeError):  # another thread got there first
                        break
                masks[key] = found
            return found

        return state.columns, (state.main, state.delta), mask

    def matches(self, keywords: KeywordQuery, fetch: Fetch) -> Matches:
        """A search's full-text matches, phrase by phrase. ``fetch(phrase, None)`` asks the backend for the ids
        matching one, once for every later search that has it ("python", then "senior python", "python -php" and
        "python" with any filters), until the next full load. After a catch-up, a kept phrase is brought up to date
        at its next search by ``fetch(phrase, ids)``: which of the postings read again since it was fetched match
        it now. The phrases used last are kept, up to ``_PHRASE_BYTES`` of ids."""
        state = self._state
        assert state is not None
        kept = state.phrases
        now = len(state.changed)

        def ids(phrase: tuple[str, ...]) -> np.ndarray | None:
            try:
                found, seen = kept.pop(phrase)  # and put back last: the most recently used
            except KeyError:
                found, seen = _sorted(fetch(phrase, None)), now
            if seen < now and found is not None:
                found = _refreshed(found, np.unique(np.concatenate(state.changed[seen:])), phrase, fetch)
            held = sum(0 if a is None else a.nbytes for a, _ in list(kept.values()))
            while kept and held + (0 if found is None else found.nbytes) > _PHRASE_BYTES:
                try:
                    oldest, _ = kept.pop(next(iter(kept)))
                except (KeyError, StopIteration, RuntimeError):  # another thread got there first
                    break
                held -= 0 if oldest is None else oldest.nbytes
            kept[phrase] = (found, now)
            return found

        return tuple(ids(p) for p in keywords.required), tuple(ids(p) for p in keywords.excluded)

    def summaries(self, posting_ids: Iterable[int]) -> dict[int, PostingSummary]:
        """The summaries it holds of these postings, by id: those of the first rows of the landing page (newest
        first) and of the best paid, read at the load, so that the first page of most searches (the rows are
        the search's first, by date or by pay) reads nothing from the store. Others are read as usual."""
        state = self._state
        held = state.summaries if state is not None else {}
        return {posting_id: held[posting_id] for posting_id in posting_ids if posting_id in held}

    def forget(self) -> None:
        """Drop the masks and full-text matches kept for searches (benchmarks time searches from nothing)."""
        state = self._state
        if state is not None:
            state.masks.clear()
            state.phrases.clear()

    def count(self, filters: PostingFilters, matches: Matches | None = None) -> int:
        _columns, segments, mask = self._segments()
        return sum(int(np.count_nonzero(mask(s, filters, matches=matches))) for s in segments)

    def counts(
        self, filters: PostingFilters, limit: int, matches: Matches | None = None
    ) -> tuple[int, int, dict[str, list[tuple[str, int]]]]:
        """(total, other roles hidden, the five column facets), as ``store.search._from_cube`` answers them.

        The postings that meet the search's other filters are counted per cell of the facet cube (back-end, remote,
        sector, seniority, employment type, visa sponsorship), with a second count of those open to its region; each
        answer is then a sum over the cells, as the SQL path sums its grouped query."""
        columns, segments, mask = self._segments()
        cells = columns.cells
        postings = np.zeros(cells, dtype=np.int64)
        in_region = np.zeros(cells, dtype=np.int64) if filters.region else postings
        # A search narrowing nothing but facet columns and one skill: each cell's count is that skill's kept one.
        skill = filters.skills[0] if len(filters.skills) == 1 else None
        one_skill = skill is not None and _facet_columns_only(replace(filters, skills=()))
        for segment in segments:
            if not len(segment):
                continue
            kept = one_skill and len(segment) >= _TABLE_FROM
            if kept:
                postings += _skill_tally(segment, filters.include_closed, None, skill, columns)
                if not filters.region:
                    continue
                if filters.region in segment.regions:
                    in_region += _skill_tally(segment, filters.include_closed, filters.region, skill, columns)
                    continue
            base = mask(segment, filters, columns_too=False, matches=matches)
            cube = segment.cube(columns.radices)
            # A mask only ever narrows where searches start: as many rows means the same rows, whose counts are kept.
            whole = np.count_nonzero(base) == segment.starts(filters.include_closed)
            within = None if whole else _within(segment, filters)
            if not kept:
                if within is None:
                    postings += segment.tally(filters.include_closed, None, columns.radices, cells)
                else:
                    postings += _tally_within(cube, base, cells, within)
            if filters.region:
                if within is None and filters.region in segment.regions:
                    in_region += segment.tally(filters.include_closed, filters.region, columns.radices, cells)
                else:
                    where = within or _Within(len(segment), None)
                    in_region += _tally_within(cube, base & _open_to(segment, filters.region), cells, where)
        found = np.flatnonzero(postings != 0)  # faster than of the counts themselves
        n = postings[found]
        count = in_region[found] if filters.region else n
        values, backend = _cell_values(columns, found)
        meets = _meets(columns, filters, values)
        every = np.logical_and.reduce([meets[name] for name in _FACET_COLUMNS])
        shown = backend | filters.include_other_roles
        total = int(count[every & shown].sum())
        other = 0 if filters.include_other_roles else int(count[every & ~backend].sum())
        facets = {}
        for name in _FACET_COLUMNS:
            keep = shown & (values[name] >= 0)
            for other_name in _FACET_COLUMNS:
                if other_name != name:
                    keep &= meets[other_name]
            # The region belongs to the remote choice: the remote facet counts every posting, not those open to it.
            weights = (n if name == "remote" else count)[keep]
            tally = np.bincount(values[name][keep], weights=weights, minlength=len(columns.facets[name].values))
            labels = columns.facets[name].values
            facets[name] = _top(((labels[i], int(v)) for i, v in enumerate(tally) if v), limit)
        return total, other, facets

    def skill_facet(self, filters: PostingFilters, limit: int, matches: Matches | None = None) -> list[tuple[str, int]]:
        """The ``limit`` skills most postings of the search name. A small segment's count is its mask read at each
        skill's positions; in a large one, the search's rows and each skill's are packed bits: an and and a bit
        count per skill (about 16 µs at a million postings, where reading the positions takes up to a millisecond)."""
        columns, segments, mask = self._segments()
        counted: dict[str, int] = {}
        kept = _facet_columns_only(filters)
        for segment in segments:
            if kept and len(segment) >= _TABLE_FROM and (filters.region is None or filters.region in segment.regions):
                present, per_cell, names = segment.skill_cells(filters.include_closed, filters.region, columns.radices)
                values, backend = _cell_values(columns, present)
                chosen = np.logical_and.reduce(list(_meets(columns, filters, values).values()))
                if not filters.include_other_roles:
                    chosen &= backend
                for skill, n in zip(names, (chosen.astype(np.float32) @ per_cell).tolist(), strict=True):
                    if n:
                        counted[skill] = counted.get(skill, 0) + int(n)
                continue
            matching = mask(segment, filters, matches=matches)
            if not matching.any():
                continue
            if len(segment) < _TABLE_FROM:
                for skill, positions in segment.skills.items():
                    n = int(np.count_nonzero(matching[positions]))
                    if n:
                        counted[skill] = counted.get(skill, 0) + n
                continue
            within = _within(segment, filters)
            if within.skill is not None and len(segment.skills[within.skill]) * _AMONG_SHARE <= len(segment):
                # Every row of the search names this skill: count among its rows, a fraction of the words.
                rows = segment.skills[within.skill]
                rows = rows[: int(np.searchsorted(rows, within.end))]
                names, together = segment.among(within.skill)
                packed = _packed(matching[rows])
                both = np.bitwise_and(together[:, : len(packed)], packed)
                found = np.bitwise_count(both).sum(axis=1, dtype=np.uint32)
                for skill, n in zip(names, found.tolist(), strict=True):
                    if n:
                        counted[skill] = counted.get(skill, 0) + n
                continue
            # Past ``end`` the mask is empty ("posted within"): those words are left out.
            packed = _packed(matching[: within.end])
            both = np.empty_like(packed)
            ones = np.empty(len(packed), dtype=np.uint8)
            for skill in segment.skills:
                np.bitwise_and(packed, segment.bits("skill", skill)[: len(packed)], out=both)
                n = int(np.bitwise_count(both, out=ones).sum(dtype=np.uint32))
                if n:
                    counted[skill] = counted.get(skill, 0) + n
        return _top(counted.items(), limit)

    def source_facet(
        self, filters: PostingFilters, limit: int, matches: Matches | None = None
    ) -> list[tuple[str, int]]:
        columns, segments, mask = self._segments()
        scoped = replace(filters, source=None)
        counted: dict[str, int] = {}
        for segment in segments:
            sources = segment.source[mask(segment, scoped, matches=matches)]
            found, n = np.unique(sources, return_counts=True)
            for source_id, count in zip(found.tolist(), n.tolist(), strict=True):
                key = columns.source_keys.get(source_id)
                if key is not None:
                    counted[key] = counted.get(key, 0) + count
        return _top(counted.items(), limit)

    def page_ids(
        self,
        filters: PostingFilters,
        sort: str,
        offset: int,
        limit: int,
        matches: Matches | None = None,
        phrases: tuple[tuple[str, ...], ...] = (),
    ) -> list[int]:
        """Ids of one page in the search's order: newest first, by salary (stated first, highest first), or by
        relevance to the required ``phrases`` (with their ``matches``; see :meth:`_relevance`)."""
        columns, segments, mask = self._segments()
        want = offset + limit
        if sort == "relevance" and matches is not None and phrases:
            return self._relevance(columns, segments, mask, filters, matches, phrases, offset, want)
        candidates: list[tuple[tuple[int, float, int, int], int]] = []
        for segment in segments:
            matching = mask(segment, filters, matches=matches)
            found = _first(matching, want, segment.salary_order() if sort == "salary" else None)
            for at in found.tolist():
                pay = float(segment.pay[at])
                stated = pay == pay
                key = (0 if stated else 1, -pay if stated else 0.0, -int(segment.newest[at]), -int(segment.ids[at]))
                if sort != "salary":
                    key = (0, 0.0, key[2], key[3])
                candidates.append((key, int(segment.ids[at])))
        candidates.sort()
        return [posting_id for _, posting_id in candidates[offset:want]]

    def _relevance(
        self,
        columns: _Columns,
        segments: tuple[_Segment, ...],
        mask: Callable[..., np.ndarray],
        filters: PostingFilters,
        matches: Matches,
        phrases: tuple[tuple[str, ...], ...],
        offset: int,
        want: int,
    ) -> list[int]:
        """A page by relevance. Each required phrase adds its rarity (BM25's inverse document frequency, from how
        many postings match it) times where the posting has it: ``TITLE`` when its title has the phrase's words,
        ``COMPANY`` when its company name does, else 1 (the description, or the location). Equal scores go newest
        first. A job's title says what it is, so a title hit outranks any number of mentions in the text; the
        rarer of two words weighs more ("senior rust": rust)."""
        everyone = self.size
        columns.company_words.sync(columns.company.values)
        weighed: list[tuple[float, np.ndarray, np.ndarray]] = []
        for phrase, ids in zip(phrases, matches[0], strict=True):
            if ids is None:
                continue
            n = len(ids)
            rarity = math.log(1.0 + (everyone - n + 0.5) / (n + 0.5))
            words = tuple(stem(word) for word in phrase)
            weighed.append((rarity, columns.titles.having(words), columns.company_words.having(words)))
        candidates: list[tuple[tuple[float, int, int], int]] = []
        for segment in segments:
            found = np.flatnonzero(mask(segment, filters, matches=matches))
            if not len(found):
                continue
            score = np.zeros(len(found))
            for rarity, in_title, in_company in weighed:
                title = in_title[segment.title[found]]
                company = in_company[segment.company[found]]
                score += rarity * np.where(title, TITLE, np.where(company, COMPANY, 1.0))
            keep = _best(score, want)
            for at, value in zip(found[keep].tolist(), score[keep].tolist(), strict=True):
                candidates.append(((-value, -int(segment.newest[at]), -int(segment.ids[at])), int(segment.ids[at])))
        candidates.sort()
        return [posting_id for _, posting_id in candidates[offset:want]]

    @property
    def status(self) -> str:
        """ "loaded" (answering; it may be loading again meanwhile), "loading" (the first load), or "not loaded"."""
        if self._state is not None:
            return "loaded"
        return "loading" if self._loading is not None and self._loading.is_alive() else "not loaded"

    @property
    def size(self) -> int:
        state = self._state
        return 0 if state is None else int(np.count_nonzero(state.main.alive)) + len(state.delta)

    def nbytes(self) -> int:
        """Memory held by the segments' arrays, those kept for searches included (not the value dictionaries, the
        kept full-text matches nor the summaries)."""
        state = self._state
        if state is None:
            return 0

        def held(value: object) -> int:
            if isinstance(value, np.ndarray):
                return value.nbytes
            if isinstance(value, dict):
                return sum(held(v) for v in list(value.values()))
            if isinstance(value, tuple):
                return sum(held(v) for v in value)
            return 0

        return sum(held(value) for segment in (state.main, state.delta) for value in vars(segment).values())


def _top(pairs: Iterable[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    return sorted(((str(v), int(n)) for v, n in pairs if n), key=lambda item: (-item[1], item[0]))[:limit]


def _sorted(ids: np.ndarray | None) -> np.ndarray | None:
    return None if ids is None else np.sort(ids)


def _refreshed(ids: np.ndarray, changed: np.ndarray, phrase: tuple[str, ...], fetch: Fetch) -> np.ndarray | None:
    """Sorted ``ids`` of a phrase's matches, brought up to date with the postings ``changed`` since (sorted)."""
    if len(changed) > _REFRESH_AT_MOST:
        return _sorted(fetch(phrase, None))
    matching = _sorted(fetch(phrase, changed))
    if matching is None:
        return None
    at = np.searchsorted(ids, changed)
    held = at < len(ids)
    held[held] = ids[at[held]] == changed[held]
    rest = np.delete(ids, at[held])
    return np.insert(rest, np.searchsorted(rest, matching), matching)


def _best(score: np.ndarray, want: int) -> np.ndarray:
    """Indexes of the ``want`` highest scores, the first ones among equals (rows are newest first), in order."""
    if len(score) <= want:
        return np.arange(len(score))
    if want <= 0:
        return np.zeros(0, dtype=np.int64)
    line = np.partition(score, len(score) - want)[len(score) - want]  # the want-th highest
    above = np.flatnonzero(score > line)
    level = np.flatnonzero(score == line)[: want - len(above)]
    return np.sort(np.concatenate((above, level)))


def _tally(cells: np.ndarray, mask: np.ndarray, how_many: int) -> np.ndarray:
    """How many rows of the mask are in each cell. The rows are picked out first (``flatnonzero`` costs the same
    at any density, where indexing by the mask mispredicts a branch a row) unless they are most of them: then every
    row is counted, weighed 1 or 0."""
    if np.count_nonzero(mask) * 2 < len(mask):
        return np.bincount(cells[np.flatnonzero(mask)], minlength=how_many)
    return np.bincount(cells, weights=mask, minlength=how_many).astype(np.int64)


# A search's rows are tallied from a chosen skill's rows when those are at most this share of the rows they lie among:
# gathering a row costs a few times as much as reading one in a pass.
_GATHER_SHARE = 6
# The skill facet counts kept per segment (:meth:`_Segment.skill_cells`), for this many keys (a region and whether
# closed postings count), the last used (about 2.4 MB each at a million postings).
_SKILL_CELLS_KEPT = 16
# The skill facet of a search that requires a skill held by at most this share of a segment's rows counts among
# that skill's rows (:meth:`_Segment.among`), kept for this many skills, the last used (73 bits a row of the skill
# each: 1.8 MB for one on a fifth of a million postings). More skills than are kept, searched in turn, would make
# them again and again (tens of milliseconds each): a site's searches name a few dozen skills most of the time.
_AMONG_SHARE = 3
_AMONG_KEPT = 32
# "Posted within" is drawn from the start of the minute when the mask is made; the rows it keeps are read back to
# this long before, so a minute that turns between the mask and its tally loses no row.
_SINCE_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class _Within:
    """Where a search's rows lie, known from its filters without reading its mask: before row ``end`` (rows are
    newest first, and "posted within" keeps a first part) and, when ``rows`` is given, among those rows."""

    end: int
    rows: np.ndarray | None
    # The rarest skill the search requires, whose rows (before ``end``) hold the search's; None when it requires
    # none, or one no row names.
    skill: str | None = None


def _within(segment: _Segment, filters: PostingFilters) -> _Within:
    from store.search import posted_since

    end = len(segment)
    if filters.posted_within:
        end = segment.posted_rows(_micros(posted_since(filters.posted_within) - _SINCE_MARGIN))
    if filters.skills and (filters.skills_mode != "any" or len(filters.skills) == 1):
        # Every chosen skill is required: the rows of the rarest hold them all. They are in order, so those read
        # are read in order too (a gather in another order, by salary say, costs more than a pass over every row).
        named = [segment.skills.get(skill) for skill in filters.skills]
        if any(rows is None for rows in named):
            return _Within(end, np.zeros(0, dtype=np.int32))  # a skill no row names: the search has no rows
        rows, skill = min(zip(named, filters.skills, strict=True), key=lambda pair: len(pair[0]))  # type: ignore[arg-type]
        rows = rows[: int(np.searchsorted(rows, end))]
        return _Within(end, rows if len(rows) * _GATHER_SHARE <= end else None, skill)
    return _Within(end, None)


def _skill_tally(
    segment: _Segment, include_closed: bool, region: str | None, skill: str | None, columns: _Columns
) -> np.ndarray:
    """:meth:`_Segment.tally` of the rows naming ``skill``, from :meth:`_Segment.skill_cells`."""
    tally = np.zeros(columns.cells, dtype=np.int64)
    if skill in segment.skills:
        present, per_cell, names = segment.skill_cells(include_closed, region, columns.radices)
        tally[present] = per_cell[:, names.index(skill)]
    return tally


def _tally_within(cells: np.ndarray, mask: np.ndarray, how_many: int, within: _Within) -> np.ndarray:
    """:func:`_tally` of a mask whose rows lie ``within``."""
    if within.rows is not None:
        return np.bincount(cells[np.compress(mask[within.rows], within.rows)], minlength=how_many)
    return _tally(cells[: within.end], mask[: within.end], how_many)


def _packed(mask: np.ndarray) -> np.ndarray:
    """A boolean mask as bits, 64 rows a word (zeros past its end): two such are and'ed and counted in microseconds."""
    packed = np.packbits(mask)
    if len(packed) % 8:
        packed = np.concatenate((packed, np.zeros(8 - len(packed) % 8, dtype=np.uint8)))
    return packed.view(np.uint64)


def _first(mask: np.ndarray, want: int, order: np.ndarray | None = None) -> np.ndarray:
    """Positions of the first ``want`` set entries, in position order or in ``order`` (positions), reading the mask
    in growing chunks: a page of a broad search is found in the first few thousand rows."""
    if want <= 0:
        return np.zeros(0, dtype=np.int64)
    found: list[np.ndarray] = []
    have = 0
    start = 0
    chunk = max(_FIRST_CHUNK, want * _CHUNK_PER_WANTED)
    while start < len(mask) and have < want:
        if order is None:
            part = np.flatnonzero(mask[start : start + chunk]) + start
        else:
            part = order[start : start + chunk]
            part = part[mask[part]]
        found.append(part)
        have += len(part)
        start += chunk
        chunk *= 4
    return np.concatenate(found)[:want] if found else np.zeros(0, dtype=np.int64)


def _cell_values(columns: _Columns, cells: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The code of each facet column (-1: none) and the back-end flag of each of these cells of the cube."""
    values: dict[str, np.ndarray] = {}
    rest = cells
    for name, radix in reversed(tuple(zip(_FACET_COLUMNS, columns.radices, strict=True))):
        values[name] = rest % radix - 1
        rest = rest // radix
    return values, rest.astype(bool)


def _meets(columns: _Columns, filters: PostingFilters, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """For each facet column, which cells (given by their ``values``) meet the search's choice of it."""
    chosen = _choices(columns, filters)
    everywhere = np.ones(len(values["remote"]), dtype=bool)
    remote = values["remote"]
    meets = {"remote": everywhere.copy()}
    if chosen.remote is not None:
        meets["remote"] &= remote == chosen.remote
    if chosen.region is not None:
        meets["remote"] &= remote == chosen.remote_code
    for name in _FACET_COLUMNS[1:]:
        codes = chosen.facets.get(name)
        meets[name] = _in(values[name], codes) if codes is not None else everywhere
    return meets


def _facet_columns_only(filters: PostingFilters) -> bool:
    """Whether a search narrows nothing but the facet columns and the back-end condition: its rows are those of
    :meth:`_Segment.starts` in the cells it chooses."""
    from store.search import PostingFilters, _without_facet_choices

    plain = replace(
        _without_facet_choices(filters), include_other_roles=False, sort=None, currency=PostingFilters.currency
    )
    return plain == PostingFilters(include_closed=filters.include_closed)


@dataclass(frozen=True)
class _Chosen:
    """A search's choices of the facet columns, as codes (an unknown value matches nothing: code -2)."""

    remote: int | None
    region: str | None
    remote_code: int
    facets: dict[str, tuple[int, ...]]


def _code(codes: _Codes, value: str) -> int:
    found = codes.find(value)
    return -2 if found is None else found


def _choices(columns: _Columns, filters: PostingFilters) -> _Chosen:
    facets: dict[str, tuple[int, ...]] = {}
    if filters.sector:
        facets["sector"] = (_code(columns.facets["sector"], filters.sector),)
    if filters.seniority:
        facets["seniority"] = tuple(_code(columns.facets["seniority"], s) for s in filters.seniority)
    if filters.employment_type:
        facets["employment_type"] = (_code(columns.facets["employment_type"], filters.employment_type),)
    if filters.visa_sponsorship:
        facets["visa_sponsorship"] = (_code(columns.facets["visa_sponsorship"], filters.visa_sponsorship),)
    return _Chosen(
        remote=_code(columns.facets["remote"], filters.remote) if filters.remote else None,
        region=filters.region,
        remote_code=_code(columns.facets["remote"], "remote"),
        facets=facets,
    )


def _in(values: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    if len(codes) == 1:
        return values == codes[0]  # type: ignore[no-any-return]
    return np.isin(values, codes)


def _choice_mask(
    segment: _Segment, chosen: _Chosen, leave_out: str | None = None, into: np.ndarray | None = None
) -> np.ndarray:
    """The rows that meet the search's facet choices (but ``leave_out``'s), and'ed into ``into`` when given."""
    mask = np.ones(len(segment), dtype=bool) if into is None else into
    if leave_out != "remote":
        remote = segment.facets["remote"]
        if chosen.remote is not None:
            mask &= remote == chosen.remote
        if chosen.region is not None:
            mask &= remote == chosen.remote_code
            mask &= _open_to(segment, chosen.region)
    for column, codes in chosen.facets.items():
        if column != leave_out:
            mask &= _in(segment.facets[column], codes)
    return mask


def _open_to(segment: _Segment, region: str) -> np.ndarray:
    mask = segment.rows("region", region)
    mask |= segment.unrestricted
    return mask


def _having(segment: _Segment, skills: Iterable[str]) -> np.ndarray:
    mask: np.ndarray | None = None
    for skill in skills:
        if mask is None:
            mask = segment.rows("skill", skill)
        else:
            mask |= segment.rows("skill", skill)
    return np.zeros(len(segment), dtype=bool) if mask is None else mask


def _mask(
    columns: _Columns,
    segment: _Segment,
    filters: PostingFilters,
    *,
    columns_too: bool = True,
    roles: bool = True,
    matches: Matches | None = None,
) -> np.ndarray:
    """The postings of a segment that meet the search; its keywords through their ``matches``.

    ``columns_too=False`` leaves out the facet columns' choices (remote, region, sector, seniority, employment type,
    visa sponsorship), ``roles=False`` the back-end condition: what the facet counts are read against."""
    from store.search import posted_since

    mask = segment.base(filters.include_closed, not roles or filters.include_other_roles)
    if filters.posted_within:
        mask[segment.posted_rows(_micros(posted_since(filters.posted_within))) :] = False
    if matches is not None:
        required, excluded = matches
        if required and all(ids is None for ids in required):
            mask[:] = False
        for ids in required:
            if ids is not None:
                mask &= segment.holding(ids)
        for ids in excluded:
            if ids is not None:
                mask &= ~segment.holding(ids)
    if filters.skills:
        if filters.skills_mode == "any":
            mask &= _having(segment, filters.skills)
        else:
            for skill in filters.skills:
                mask &= _having(segment, (skill,))
    if filters.exclude_skills:
        mask &= ~_having(segment, filters.exclude_skills)
    if columns_too:
        _choice_mask(segment, _choices(columns, filters), into=mask)
    if filters.min_salary is not None:
        currency = columns.currency.find(filters.currency)
        mask &= segment.currency == (-2 if currency is None else currency)
        with np.errstate(invalid="ignore"):
            mask &= segment.pay >= filters.min_salary  # False where no salary is stated (NaN)
    elif filters.salary_stated:
        mask &= segment.stated()
    if filters.company:
        mask &= segment.company == _code(columns.company, filters.company.lower())
    if filters.exclude_companies:
        found = (columns.company.find(name.lower()) for name in filters.exclude_companies)
        excluded = [code for code in found if code is not None]
        if excluded:
            mask &= ~np.isin(segment.company, excluded)
    if filters.source:
        source_id = columns.sources.get(filters.source)
        mask &= segment.source == (-2 if source_id is None else source_id)
    return mask  # type: ignore[no-any-return]
