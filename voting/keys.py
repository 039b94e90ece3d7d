import hashlib
import hmac
import secrets

from django.conf import settings

# Receipt references avoid letters and digits that are easy to misread (0/O, 1/I/L).
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def ballot_key(*, voter_id: int, envelope_id: int) -> str:
    message = f"{envelope_id}:{voter_id}".encode()
    return hmac.new(settings.BALLOT_KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def submission_owner(*, submission, envelope_id: int, voter_id: int | str) -> str:
    """Whose ballot a form's submission key was accepted for, keyed like ``ballot_key``
    so that nobody without the secret can match submissions (and their times) to ballots."""
    message = f"submission:{submission}:{envelope_id}:{voter_id}".encode()
    return hmac.new(settings.BALLOT_KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def unlinked_ballot_key() -> str:
    """A key nobody can recompute: for ballots whose voter deleted their account."""
    return "x" + secrets.token_hex(31)


def _grouped(body: str) -> str:
    """ABCDEFGHJKMN -> ABCD-EFGH-JKMN, easier to read aloud and type."""
    return "-".join(body[i : i + 4] for i in range(0, len(body), 4))


def _random_code() -> str:
    return _grouped("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12)))


def new_receipt() -> str:
    return _random_code()


def new_voter_code() -> str:
    return _random_code()


def normalise_code(text: str) -> str:
    return _grouped("".join(ch for ch in (text or "").upper() if ch.isalnum()))
