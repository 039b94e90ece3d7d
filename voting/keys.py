import hashlib
import hmac
import secrets

from django.conf import settings

# Receipt references avoid letters and digits that are easy to misread (0/O, 1/I/L).
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def ballot_key(*, voter_id: int, envelope_id: int) -> str:
    message = f"{envelope_id}:{voter_id}".encode()
    return hmac.new(settings.BALLOT_KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def unlinked_ballot_key() -> str:
    """A key nobody can recompute: for ballots whose voter deleted their account."""
    return "x" + secrets.token_hex(31)


def new_receipt() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(body[i : i + 4] for i in range(0, 12, 4))


def new_voter_code() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(body[i : i + 4] for i in range(0, 12, 4))


def normalise_code(text: str) -> str:
    body = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(body[i : i + 4] for i in range(0, len(body), 4))
