"""The OpenAPI 3.1 document of the JSON API, built from the same names and choices the parameter parser accepts."""

from __future__ import annotations

from typing import Any

from config.taxonomy import EMPLOYMENT_TYPES, REMOTE_STATUSES, SENIORITY_LEVELS, load_regions, sector_names, skill_names
from store.search import FACETS, MAX_PER_PAGE, POSTED_WITHIN, SORTS
from web.params import MAX_PAGE, MAX_QUERY_CHARS, VISA_VALUES


def _param(name: str, description: str, schema: dict[str, Any], *, many: bool = False) -> dict[str, Any]:
    if many:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if many else {}),
    }


def _enum(values: object) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}  # type: ignore[call-overload]


def _text(limit: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit}


def search_parameters() -> list[dict[str, Any]]:
    """Every query parameter of a search: the page, the API and the Atom feed take the same ones."""
    flag = _enum(["1", "true", "yes", "on", "0", "false", "no", "off"])
    skills = _enum(skill_names())
    levels = _enum([*SENIORITY_LEVELS, "unknown"])
    salary = {"type": "integer", "minimum": 1, "maximum": 10_000_000}
    currency = {"type": "string", "pattern": "^[A-Za-z]{3}$"}
    return [
        _param("q", 'Keywords: stemmed words, "quoted phrases", -excluded words.', _text(MAX_QUERY_CHARS)),
        _param("skill", "Canonical skill names; repeat for several.", skills, many=True),
        _param("skills_mode", "all: every chosen skill (default); any: at least one.", _enum(["all", "any"])),
        _param("not_skill", "Leave out postings naming any of these skills.", skills, many=True),
        _param("remote", "Remote status.", _enum(REMOTE_STATUSES)),
        _param("region", "Remote jobs open to this region (or not restricted).", _enum(load_regions().names)),
        _param("sector", "The employer's sector.", _enum(sector_names())),
        _param("seniority", "Levels; repeat for several.", levels, many=True),
        _param("employment_type", "Employment type.", _enum(EMPLOYMENT_TYPES)),
        _param("visa", "Visa sponsorship as the posting states it.", _enum(VISA_VALUES)),
        _param("min_salary", "Yearly salary (top of the stated range) of at least this, in `currency`.", salary),
        _param("currency", "ISO 4217 code for min_salary (default USD).", currency),
        _param("salary", "Only postings that state a salary.", flag),
        _param("posted", "Posted (or first seen) within.", _enum(POSTED_WITHIN)),
        _param("company", "The employer's name, any letter case.", _text(300)),
        _param("not_company", "Leave out these employers; repeat for several.", _text(300), many=True),
        _param("source", "A source key (see `jobsift sources list`).", _text(100)),
        _param("closed", "Include postings that have left their feed.", flag),
        _param("all_roles", "Include roles that are not back-end work (hidden by default).", flag),
        _param("sort", "Default: relevance with keywords, newest without.", _enum(SORTS)),
        _param("page", "Page number.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        _param("per_page", "Postings a page.", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
    ]


_SALARY = {
    "type": ["object", "null"],
    "properties": {
        "min": {"type": ["number", "null"]},
        "max": {"type": ["number", "null"]},
        "currency": {"type": ["string", "null"]},
        "period": {"type": ["string", "null"], "enum": ["year", "month", "week", "day", "hour", None]},
        "annual_min": {"type": ["number", "null"]},
        "annual_max": {"type": ["number", "null"]},
    },
}
_SUMMARY = {
    "type": "object",
    "required": ["id", "title", "company", "remote", "sector", "skills", "is_backend", "url", "apply_url", "source"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "company": {"type": "string"},
        "location": {"type": ["string", "null"]},
        "remote": {"type": "string", "enum": list(REMOTE_STATUSES)},
        "remote_regions": {"type": "array", "items": {"type": "string"}},
        "sector": {"type": "string"},
        "skills": {"type": "array", "items": {"type": "string"}},
        "employment_type": {"type": ["string", "null"]},
        "seniority": {"type": "string"},
        "is_backend": {"type": "boolean"},
        "visa_sponsorship": {"type": "string", "enum": list(VISA_VALUES)},
        "salary": _SALARY,
        "posted_at": {"type": ["string", "null"], "format": "date-time"},
        "first_seen_at": {"type": "string", "format": "date-time"},
        "closed_at": {"type": ["string", "null"], "format": "date-time"},
        "url": {"type": "string"},
        "apply_url": {"type": "string"},
        "source": {"type": "string"},
    },
}
_EVIDENCE = {
    "type": "object",
    "description": 'Why each field was classified so: {"remote": [{"field": "location", "text": "Remote (US)"}], '
    '"skill:Python": [...], ...}',
    "additionalProperties": {
        "type": "array",
        "items": {"type": "object", "properties": {"field": {"type": "string"}, "text": {"type": "string"}}},
    },
}
_FACETS = {
    "type": "object",
    "description": "For each facet, its values among the matching postings (ignoring the facet's own filter).",
    "properties": {
        name: {
            "type": "array",
            "items": {"type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}},
        }
        for name in FACETS
    },
}
_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}, "message": {"type": "string"}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def openapi_document() -> dict[str, Any]:
    from web.alerts.apidoc import alerts_path  # POST /api/v1/alerts (web/alerts/api.py); imports this module

    _html: dict[str, Any] = {"text/html": {}}
    bad = {
        "description": "A parameter is not valid; `parameter` names it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "jobsift",
            "version": "1",
            "description": "Back-end developer job postings gathered from public feeds. Only back-end roles are "
            "listed unless all_roles=1, and a job seen on several boards is one result.",
        },
        "paths": {
            "/api/v1/postings": {
                "get": {
                    "summary": "Search postings",
                    "parameters": [
                        *search_parameters(),
                        _param(
                            "facets", "Add facet counts for the result set.", {"type": "string", "enum": ["1", "0"]}
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of postings.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["total", "page", "per_page", "items"],
                                        "properties": {
                                            "total": {"type": "integer"},
                                            "page": {"type": "integer"},
                                            "per_page": {"type": "integer"},
                                            "items": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Posting"},
                                            },
                                            "facets": {"$ref": "#/components/schemas/Facets"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": bad,
                    },
                }
            },
            "/api/v1/postings/{id}": {
                "get": {
                    "summary": "One posting, with its description and classification evidence",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "The posting.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "allOf": [
                                            {"$ref": "#/components/schemas/Posting"},
                                            {
                                                "type": "object",
                                                "properties": {
                                                    "description_html": {"type": "string"},
                                                    "description_text": {"type": "string"},
                                                    "evidence": _EVIDENCE,
                                                },
                                            },
                                        ]
                                    }
                                }
                            },
                        },
                        "404": {
                            "description": "No such posting.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    },
                }
            },
            "/api/v1/facets": {
                "get": {
                    "summary": "Facet counts for a search",
                    "parameters": search_parameters(),
                    "responses": {
                        "200": {
                            "description": "Facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"facets": {"$ref": "#/components/schemas/Facets"}},
                                    }
                                }
                            },
                        },
                        "400": bad,
                    },
                }
            },
            "/api/v1/alerts": alerts_path(),
            "/feed.atom": {
                "get": {
                    "summary": "The newest postings of a search as an Atom feed",
                    "parameters": search_parameters(),
                    "responses": {
                        "200": {"description": "An Atom 1.0 feed.", "content": {"application/atom+xml": {}}},
                        "400": {
                            "description": "A parameter is not valid (an HTML page naming it).",
                            "content": {"text/html": {}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": {"Posting": _SUMMARY, "Facets": _FACETS, "Error": _ERROR}},
    }
    # Any JSON operation meets a store that is full or not answering the same way (web/errors.py).
    unavailable = {
        "description": "The store can't answer or save right now (a full disk, a database server gone): `error` is "
        "`store_unavailable`, nothing was changed, and `Retry-After` says when to try again.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path, operations in document["paths"].items():
        if path.startswith("/api/"):
            for operation in operations.values():
                operation["responses"].setdefault("503", unavailable)
    return document
