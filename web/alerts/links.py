"""Signed links of an alert, and the absolute URLs emails carry.

Each link is an itsdangerous URLSafeTimedSerializer token with a salt per purpose (a manage token can't be used to
unsubscribe, nor an unsubscribe token to manage), carrying the subscription's id and its ``link_key``: a deleted
subscription's links die with it even if its id comes back (SQLite reuses the largest rowid), and a new key would
revoke every link issued before. The confirmation link expires after 48 hours and works once (confirming moves the
alert out of ``pending``, see store.queries.alerts.confirm_subscription); manage and unsubscribe links are in every
email, so they last long. An email's links are signed as of its digest's creation (``at``), not of its sending: an
email sent again after a crash is the same message, byte for byte, as the Message-ID says.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode

from store.models import AlertSubscription

MAX_AGE = {
    "confirm": timedelta(hours=48),
    "manage": timedelta(days=90),
    "unsubscribe": timedelta(days=400),
}
# Paths of the alert pages (web/alerts/views.py routes them; emails are built without an app or a request).
PATHS = {
    "confirm": "/alerts/confirm/{token}",
    "manage": "/alerts/manage/{token}",
    "unsubscribe": "/alerts/unsubscribe/{token}",
}


def _signed_at(moment: datetime) -> type[TimestampSigner]:
    """A signer that dates what it signs ``moment`` rather than now."""
    stamp = int(moment.timestamp())

    class SignedAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return SignedAt


def _canonical_signature(token: str) -> bool:
    """Whether the token's signature is written as the signer writes it.

    The signature's last base64 character carries bits the decoder drops, so a few other characters in its place
    decode to the same signature; a link altered there must be as dead as one altered anywhere else."""
    signature = token.rpartition(".")[2]
    try:
        return base64_encode(base64_decode(signature)).decode("ascii") == signature
    except (BadData, UnicodeError, ValueError, TypeError):
        return False


class Links:
    def __init__(self, secret_key: str, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._secret_key = secret_key
        self._serializers = {
            purpose: URLSafeTimedSerializer(secret_key, salt=f"jobsift.alerts.{purpose}") for purpose in MAX_AGE
        }

    def token(self, purpose: str, subscription: AlertSubscription, at: datetime | None = None) -> str:
        """A token for this purpose, dated ``at`` (default: now); it expires MAX_AGE after that date."""
        serializer = self._serializers[purpose]
        if at is not None:
            serializer = URLSafeTimedSerializer(
                self._secret_key, salt=f"jobsift.alerts.{purpose}", signer=_signed_at(at)
            )
        return str(serializer.dumps([subscription.id, subscription.link_key]))

    def read(self, purpose: str, token: str) -> tuple[int, str] | None:
        """(subscription id, link key) of a genuine, unexpired token for this purpose; None for anything else."""
        if len(token) > 500 or not _canonical_signature(token):
            return None
        try:
            value = self._serializers[purpose].loads(token, max_age=int(MAX_AGE[purpose].total_seconds()))
        except (BadData, UnicodeError, ValueError, TypeError):
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not isinstance(value[0], int)
            or isinstance(value[0], bool)
            or not isinstance(value[1], str)
        ):
            return None
        return value[0], value[1]

    def path(self, purpose: str, subscription: AlertSubscription, at: datetime | None = None) -> str:
        return PATHS[purpose].format(token=self.token(purpose, subscription, at))

    def url(self, purpose: str, subscription: AlertSubscription, at: datetime | None = None) -> str:
        return self.base_url + self.path(purpose, subscription, at)

    def feed(self, subscription: AlertSubscription) -> str:
        return f"{self.base_url}/alerts/feed/{quote(subscription.feed_token)}.atom"

    def search(self, query: str) -> str:
        return f"{self.base_url}/?{query}" if query else f"{self.base_url}/"

    def posting(self, posting_id: int) -> str:
        return f"{self.base_url}/postings/{posting_id}"
