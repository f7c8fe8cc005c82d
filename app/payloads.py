"""A checked upload that travels back with its confirmation form (no server keeps it)."""

import base64
import binascii

from flask import abort


def encode(data):
    return base64.b64encode(data).decode("ascii")


def decode(payload):
    """The uploaded bytes again; a payload that is not base64 is a bad request (400)."""
    try:
        return base64.b64decode(payload.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        abort(400)
