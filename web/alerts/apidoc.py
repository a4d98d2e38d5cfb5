"""The OpenAPI description of ``POST /api/v1/alerts``, joined into the API's document by web/api/openapi.py."""

from __future__ import annotations

from typing import Any

from store.models.alert import FREQUENCIES
from web.alerts.searches import FLOOD_LIMIT
from web.api.openapi import search_parameters


def _search_schema() -> dict[str, Any]:
    properties = {}
    for parameter in search_parameters():
        schema = dict(parameter["schema"])
        if schema.get("type") == "array":
            # A single value stands for a list of one.
            schema = {"oneOf": [schema["items"], schema]}
        properties[parameter["name"]] = {**schema, "description": parameter["description"]}
    return {
        "type": "object",
        "description": "The parameters of GET /api/v1/postings (sort, page, per_page and closed are accepted and "
        "not kept: an alert sends open postings, newest first). At least one filter or keyword is required.",
        "properties": properties,
        "additionalProperties": False,
    }


def alerts_path() -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "post": {
            "summary": "Ask for an email alert of a search (double opt-in)",
            "description": "Sends a confirmation email; the alert starts once its link is used, and nothing else is "
            "sent to the address before. An address that already has this alert gets its manage link instead; the "
            "answer is the same either way. Searches that would send more than "
            f"{FLOOD_LIMIT} postings a week are refused. Confirmation emails are limited per address and per client.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["email", "search"],
                            "additionalProperties": False,
                            "properties": {
                                "email": {"type": "string", "format": "email", "maxLength": 254},
                                "frequency": {"type": "string", "enum": list(FREQUENCIES), "default": "daily"},
                                "search": _search_schema(),
                            },
                        },
                        "example": {
                            "email": "ada@example.com",
                            "frequency": "daily",
                            "search": {"skill": ["Python"], "remote": "remote"},
                        },
                    }
                },
            },
            "responses": {
                "202": {
                    "description": "Accepted: a confirmation email is on its way.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "status": {"type": "string", "enum": ["pending_confirmation"]},
                                    "message": {"type": "string"},
                                    "weekly_estimate": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "A field or search parameter is not valid (`error` is `bad_parameter`, "
                    "`parameter` names it), or the search is too broad (`error` is `too_broad`, with "
                    "`weekly_estimate` and `limit`).",
                    "content": {"application/json": {"schema": error}},
                },
                "429": {
                    "description": "Too many confirmation emails for this address or from this client; "
                    "`Retry-After` says when to try again.",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": error}},
                },
            },
        }
    }
