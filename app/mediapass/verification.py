"""Checking a Medienpass: a PDF's embedded content against its hash and signature, then the
pass's current status here. Status: valid, revoked, superseded, tampered (content, hash and
signature do not fit together), unknown (not a pass of this instance, or no pass at all)."""

import io
import json
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.mediapass import issuing, keys, signing
from app.mediapass.pdf import CONTENT_NAME, SIGNATURE_NAME


@dataclass
class Result:
    status: str
    serial: str = ""
    content: dict = field(default_factory=dict)
    record: object = None

    @property
    def valid(self):
        return self.status == "valid"

    @property
    def holder_erased(self):
        """The holder was erased (Art. 17 GDPR): the pass is revoked and names nobody."""
        holder = getattr(self.record, "user", None)
        return holder is not None and holder.erased_at is not None

    def as_json(self):
        result = {"valid": self.valid, "serial": self.serial, "status": self.status}
        if self.holder_erased:
            result["holder_erased"] = True
        return result


def embedded(pdf_bytes):
    """(content bytes, signature dict) from a pass PDF; None when it holds no pass."""
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        files = reader.attachments
    except (PdfReadError, ValueError, TypeError, KeyError, OSError):
        return None
    if CONTENT_NAME not in files or SIGNATURE_NAME not in files:
        return None
    try:
        envelope = json.loads(files[SIGNATURE_NAME][0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        envelope = None
    return files[CONTENT_NAME][0], envelope


def check(data, envelope):
    """The verdict on content bytes and their signature envelope."""
    if not isinstance(envelope, dict):
        return Result("tampered")
    serial = str(envelope.get("serial", ""))
    if not signing.is_canonical(data) or signing.sha256_hex(data) != envelope.get("sha256"):
        return Result("tampered", serial)
    content = json.loads(data.decode("utf-8"))
    if not isinstance(content, dict) or content.get("serial") != serial:
        return Result("tampered", serial)
    key_id = envelope.get("key_id")
    if content.get("key_id") != key_id:
        return Result("tampered", serial)
    public_key = keys.public_key(key_id) if isinstance(key_id, str) else None
    record = issuing.by_serial(serial)
    if public_key is None or record is None:
        # Not signed by a key of this instance, or a serial it never issued.
        return Result("unknown", serial)
    if not signing.verify(public_key, data, str(envelope.get("signature", ""))):
        return Result("tampered", serial)
    if record.sha256 != envelope["sha256"]:
        return Result("tampered", serial)
    result = Result(record.status, serial, content, record)
    if result.holder_erased:
        result.content = {}  # the file still names its holder; the page does not
    return result


def verify_pdf(pdf_bytes):
    found = embedded(pdf_bytes)
    if found is None:
        return Result("unknown")
    return check(*found)
