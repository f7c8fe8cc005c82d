"""Lesson attachments: checked on upload (size, type by extension and content), stored
under the storage directory's uploads/ by a random name, served only to people who may see
the course."""

import errno
import logging
import os
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.utils import secure_filename

from app.accounts import audit
from app.courses.models import Attachment, Course
from app.courses.services import touch
from app.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)

# extension: (content type, how the file starts; None: any text without NUL bytes)
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "txt": ("text/plain; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}


def upload_folder():
    """The uploads' folder, in the storage directory that every app server shares."""
    folder = os.path.join(current_app.config["STORAGE_DIR"], "uploads")
    os.makedirs(folder, exist_ok=True)
    return folder


def check_upload(filename, data):
    """(safe file name, content type); a DomainError names what is wrong."""
    name = secure_filename(filename or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise DomainError(
            _("Allowed are: %(types)s.", types=", ".join(sorted(TYPES))), where="file"
        )
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    if not data:
        raise DomainError(_("The file is empty."), where="file")
    if len(data) > limit:
        raise DomainError(
            _("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)), where="file"
        )
    content_type, signatures = TYPES[extension]
    if signatures is None:
        if b"\x00" in data[:4096]:
            raise DomainError(_("The file is not a text file."), where="file")
    elif not data.startswith(signatures):
        raise DomainError(
            _("The content of the file does not match its ending .%(ext)s.", ext=extension),
            where="file",
        )
    return name, content_type


def add_attachment(actor, lesson, filename, data):
    name, content_type = check_upload(filename, data)
    stored = secrets.token_hex(16)
    path = os.path.join(upload_folder(), stored)
    attachment = Attachment(
        lesson_id=lesson.id,
        course_id=lesson.course_id,
        filename=name,
        stored_name=stored,
        content_type=content_type,
        size=len(data),
    )
    db.session.add(attachment)
    db.session.flush()
    _store(path, data)  # written last: nothing is left if the checks fail
    try:
        touch(lesson.module.course)
        audit.record(actor, "course.attachment_add", lesson.module.course, {"file": name})
        db.session.commit()
    except Exception:
        os.unlink(path)
        raise
    return attachment


def _store(path, data):
    """Write the file under a temporary name, then move it into place: a full disk leaves
    neither half a file nor, since the caller has not committed, a row without its file."""
    temporary = f"{path}.part"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        log.error("could not store an attachment in %s: %s", path, error)
        if os.path.exists(temporary):
            os.unlink(temporary)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DomainError(
                _("The file could not be stored: the storage is full. Nothing was saved."),
                where="file",
            ) from error
        raise DomainError(
            _(
                "The file could not be stored (%(reason)s). Nothing was saved.",
                reason=error.strerror,
            ),
            where="file",
        ) from error


def remove_attachment(actor, attachment):
    """Out of the lesson; the file stays while a published snapshot may point to it."""
    attachment.removed = True
    course = db.session.get(Course, attachment.course_id)
    touch(course)
    audit.record(actor, "course.attachment_remove", course, {"file": attachment.filename})
    db.session.commit()


def attachment_for(user, attachment_id, course_in_outline):
    """The attachment when this person may see it; None (404) otherwise. Builders see every
    attachment; others only those of a course's published snapshot."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        return None
    if user.has_role("trainer", "admin"):
        return attachment
    course = db.session.scalar(
        select(Course).where(Course.id == attachment.course_id, Course.status == "published")
    )
    if course is None or not course_in_outline(course, attachment.id):
        return None
    return attachment


def path_of(attachment):
    return os.path.join(upload_folder(), attachment.stored_name)
