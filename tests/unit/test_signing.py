"""Canonical JSON, its hash, Ed25519 signatures, key ids and key files of the Medienpass."""

import hashlib
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.mediapass import signing


def test_canonical_json_sorts_keys_is_compact_and_keeps_utf8():
    data = signing.canonical_json({"b": 1, "a": {"ü": "Müller", "c": [2, None, True]}})
    assert data == '{"a":{"c":[2,null,true],"ü":"Müller"},"b":1}'.encode()
    assert signing.canonical_json({"a": 1, "b": 2}) == signing.canonical_json({"b": 2, "a": 1})


def test_canonical_json_refuses_floats_anywhere():
    with pytest.raises(ValueError):
        signing.canonical_json({"levels": [1, 2.5]})


def test_is_canonical_tells_the_exact_bytes_apart():
    data = signing.canonical_json({"name": "Jürgen", "n": 3})
    assert signing.is_canonical(data)
    assert not signing.is_canonical(b'{"n": 3, "name": "J\\u00fcrgen"}')  # same data, other bytes
    assert not signing.is_canonical(b'{"n":3,"name":"J\xfcrgen"}')  # not UTF-8
    assert not signing.is_canonical(b"{nonsense")


def test_the_hash_is_sha256_of_the_canonical_bytes():
    data = signing.canonical_json({"serial": "MP-2026-0000-0000-0000"})
    assert signing.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert signing.sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_a_signature_verifies_and_any_change_breaks_it():
    signer = signing.Signer(Ed25519PrivateKey.generate())
    data = signing.canonical_json({"holder": {"name": "Lena Lehmann"}, "level": 3})
    signature = signer.sign(data)
    assert signing.verify(signer.public_key, data, signature)
    changed = data.replace(b"3", b"4")
    assert not signing.verify(signer.public_key, changed, signature)
    flipped = bytearray(data)
    flipped[5] ^= 1
    assert not signing.verify(signer.public_key, bytes(flipped), signature)
    other = signing.Signer(Ed25519PrivateKey.generate())
    assert not signing.verify(other.public_key, data, signature)
    assert not signing.verify(signer.public_key, data, "not-base64!")
    assert not signing.verify(signer.public_key, data, signature[:-4])


def test_rfc8032_test_vector_one():
    """RFC 8032, 7.1 TEST 1: the empty message."""
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    signer = signing.Signer(Ed25519PrivateKey.from_private_bytes(secret))
    assert signing.public_bytes(signer.public_key).hex() == (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    )
    expected = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
        "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert signing._unb64url(signer.sign(b"")) == expected


def test_key_ids_are_stable_and_the_jwk_reads_back():
    signer = signing.Signer(Ed25519PrivateKey.generate())
    assert signer.key_id == signing.key_id(signer.public_key)
    assert signer.key_id.startswith("mp-") and len(signer.key_id) == 19
    key = signing.jwk(signer.public_key, status="current")
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["kid"] == signer.key_id
    back = signing.public_key_from_jwk(key)
    data = b"medienpass"
    assert signing.verify(back, data, signer.sign(data))
    text = signing.public_key_text(signer.public_key)
    assert signing.key_id(signing.public_key_from_text(text)) == signer.key_id
    with pytest.raises(ValueError):
        signing.public_key_from_jwk({**key, "crv": "X25519"})


def test_the_key_file_is_created_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "keys" / "signing.pem"
    first = signing.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = signing.load_or_create(path)
    assert again.key_id == first.key_id
    assert [p.name for p in path.parent.iterdir()] == ["signing.pem"]  # no leftovers


def test_a_key_file_of_another_kind_is_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ValueError, match="no Ed25519 private key"):
        signing.load_or_create(path)
