"""Signing a Medienpass: canonical JSON, its SHA-256, Ed25519 signatures and key ids.

Pure: no Flask, no database. The content of a pass is signed as its canonical JSON (keys
sorted, no insignificant whitespace, UTF-8); a verifier needs only those bytes, the
signature and the public key named by its key id (published as a JSON Web Key set).
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "Ed25519"


def canonical_json(content):
    """The bytes that are hashed and signed: sorted keys, compact, UTF-8 (not \\u escapes).
    Floats are refused: a number must read back as the same text everywhere."""
    _no_floats(content)
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _no_floats(value):
    if isinstance(value, float):
        raise ValueError("canonical content holds no floats")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)


def is_canonical(data):
    """Whether bytes are exactly the canonical JSON of what they hold."""
    try:
        return canonical_json(json.loads(data.decode("utf-8"))) == data
    except (UnicodeDecodeError, ValueError):
        return False


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_bytes(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key):
    """A short, stable name of a public key: the start of its SHA-256 (hex)."""
    return "mp-" + sha256_hex(public_bytes(public_key))[:16]


def jwk(public_key, **extra):
    """The public key as a JSON Web Key (RFC 8037: OKP, Ed25519)."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "alg": "EdDSA",
        "use": "sig",
        "kid": key_id(public_key),
        "x": _b64url(public_bytes(public_key)),
        **extra,
    }


def public_key_from_jwk(key):
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(_unb64url(key["x"]))


def public_key_from_text(text):
    """A public key stored as base64url of its 32 raw bytes."""
    return Ed25519PublicKey.from_public_bytes(_unb64url(text))


def public_key_text(public_key):
    return _b64url(public_bytes(public_key))


@dataclass(frozen=True)
class Signer:
    private_key: Ed25519PrivateKey

    @property
    def public_key(self):
        return self.private_key.public_key()

    @property
    def key_id(self):
        return key_id(self.public_key)

    def sign(self, data):
        """The signature of bytes, base64url."""
        return _b64url(self.private_key.sign(data))


def verify(public_key, data, signature):
    """Whether `signature` (base64url) is the key's signature of `data`."""
    try:
        public_key.verify(_unb64url(signature), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def load_or_create(path):
    """The signer whose private key lives in `path` (PEM, PKCS#8); created once when the
    file does not exist, readable by its owner only."""
    path = Path(path)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} holds no Ed25519 private key")
        return Signer(key)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a new file only its owner may read, then moved into place: a second
    # process never sees half a key, and an existing key is never overwritten.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)  # fails when another process was first
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return load_or_create(path)
