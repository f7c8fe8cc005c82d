#!/usr/bin/env python3
"""Check a Medienpass PDF offline: is its content genuine, as signed by the issuer?

    pip install pypdf cryptography
    python verify-medienpass.py PASS.pdf --keys medienpass-keys.json

KEYS is the issuer's published key set (https://<issuer>/.well-known/medienpass-keys.json),
saved once; without --keys the script fetches the address named inside the PDF. It checks
that the embedded content is exactly the canonical JSON that was hashed and signed, and
that the Ed25519 signature fits one of the issuer's keys. Whether a pass was revoked later
only the issuer knows: open the verification address printed below for that.

Prints one JSON object; exit code 0 only when the content is genuine.
"""

import argparse
import base64
import hashlib
import json
import sys
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader

CONTENT = "medienpass.json"
SIGNATURE = "medienpass-signature.json"


def _unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(data):
    return json.dumps(
        json.loads(data.decode("utf-8")),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def check(pdf_path, keys=None):
    try:
        files = PdfReader(pdf_path).attachments
        data, envelope = files[CONTENT][0], json.loads(files[SIGNATURE][0])
    except Exception as error:  # noqa: BLE001  any unreadable file is simply not a pass
        return {"genuine": False, "reason": f"no Medienpass in this file ({error})"}
    result = {"genuine": False, "serial": envelope.get("serial", "")}
    try:
        is_canonical = canonical(data) == data
    except ValueError:
        is_canonical = False
    if not is_canonical or hashlib.sha256(data).hexdigest() != envelope.get("sha256"):
        return {**result, "reason": "the content was changed after signing"}
    content = json.loads(data)
    if content.get("serial") != result["serial"] or content.get("key_id") != envelope.get("key_id"):
        return {**result, "reason": "the content and its signature do not belong together"}
    if keys is None:
        with urllib.request.urlopen(envelope["keys"], timeout=10) as response:  # noqa: S310
            keys = json.load(response)
    key = next((k for k in keys.get("keys", []) if k.get("kid") == envelope.get("key_id")), None)
    if key is None or key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        return {**result, "reason": "signed with a key the issuer does not publish"}
    try:
        public_key = Ed25519PublicKey.from_public_bytes(_unb64url(key["x"]))
        public_key.verify(_unb64url(envelope["signature"]), data)
    except (InvalidSignature, ValueError, KeyError):
        return {**result, "reason": "the signature does not fit the content"}
    return {
        **result,
        "genuine": True,
        "holder": content["holder"]["name"],
        "issued_at": content["issued_at"],
        "issuer": content["issuer"]["organisation"],
        "status_at": content["verify_url"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check a Medienpass PDF offline.")
    parser.add_argument("pdf")
    parser.add_argument("--keys", help="the issuer's key set (JSON file)")
    args = parser.parse_args(argv)
    keys = None
    if args.keys:
        with open(args.keys, encoding="utf-8") as handle:
            keys = json.load(handle)
    result = check(args.pdf, keys)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["genuine"] else 1


if __name__ == "__main__":
    sys.exit(main())
