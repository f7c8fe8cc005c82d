"""Reading a CSV file of users (email, name, department, job role, roles): every problem at once.

Pure: no Flask, no database. The caller passes the known departments, job roles and the
roles the uploader may grant, and a gettext function for the messages.
"""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

COLUMNS = ("email", "name", "department", "job_role", "roles")

# Header spellings accepted for each column (compared lower-cased, without spaces, _ and -).
HEADER_ALIASES = {
    "email": "email",
    "mail": "email",
    "emailadresse": "email",
    "name": "name",
    "department": "department",
    "abteilung": "department",
    "jobrole": "job_role",
    "arbeitsplatztyp": "job_role",
    "roles": "roles",
    "role": "roles",
    "rollen": "roles",
    "rolle": "roles",
}


def _identity(message, **params):
    return message % params if params else message


@dataclass(frozen=True)
class UserRow:
    line: int
    email: str
    name: str
    department: str
    job_role: str
    roles: frozenset


@dataclass
class ParseResult:
    rows: list
    problems: list  # [(line, message)], line 1 is the header

    @property
    def ok(self):
        return not self.problems


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252 as Excel writes."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text):
    first_line = text.split("\n", 1)[0]
    # German spreadsheets write semicolons; take whichever separates more of the header.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _split_roles(value):
    for separator in ",;|":
        value = value.replace(separator, " ")
    return [part.lower() for part in value.split()]


def parse_users(data, departments, job_roles, all_roles, _=_identity):
    """Check every row of a users CSV.

    departments, job_roles: {lower-cased name: name as stored}; all_roles: every role that
    exists. Who may grant which role depends on the database and is checked by the caller.
    Returns ParseResult; its rows are only to be written when it has no problems.
    """
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    problems, rows = [], []
    try:
        header = next(reader)
    except StopIteration:
        return ParseResult([], [(1, _("The file is empty."))])
    except csv.Error as error:
        return ParseResult([], [(1, _("The header cannot be read: %(error)s", error=str(error)))])
    columns = [HEADER_ALIASES.get(_normalise_header(cell)) for cell in header]
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        message = _(
            "The header lacks the column(s) %(missing)s; expected %(expected)s.",
            missing=", ".join(missing),
            expected=", ".join(COLUMNS),
        )
        return ParseResult([], [(1, message)])
    index = {name: columns.index(name) for name in COLUMNS}

    seen = {}
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((line, _("The line cannot be read: %(error)s", error=str(error))))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(
                (
                    start,
                    _(
                        "%(found)d fields, but the header has %(expected)d.",
                        found=len(record),
                        expected=len(header),
                    ),
                )
            )
            continue
        record = record + [""] * (len(header) - len(record))
        value = {name: record[index[name]].strip() for name in COLUMNS}
        row_problems = []

        email = value["email"].lower()
        if not email:
            row_problems.append(_("The e-mail address is missing."))
        else:
            try:
                email = validate_email(email, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                row_problems.append(_("'%(email)s' is not a valid e-mail address.", email=email))
            if email in seen:
                row_problems.append(
                    _(
                        "The e-mail address %(email)s already appears in line %(line)d.",
                        email=email,
                        line=seen[email],
                    )
                )
            else:
                seen[email] = start

        name = value["name"]
        if not name:
            row_problems.append(_("The name is missing."))
        elif len(name) > 200:
            row_problems.append(_("The name is longer than 200 characters."))

        department = departments.get(value["department"].lower())
        if not value["department"]:
            row_problems.append(_("The department is missing."))
        elif department is None:
            row_problems.append(_("Unknown department '%(name)s'.", name=value["department"]))

        job_role = job_roles.get(value["job_role"].lower())
        if not value["job_role"]:
            row_problems.append(_("The job role is missing."))
        elif job_role is None:
            row_problems.append(_("Unknown job role '%(name)s'.", name=value["job_role"]))

        roles = _split_roles(value["roles"]) or ["learner"]
        for role in roles:
            if role not in all_roles:
                row_problems.append(
                    _(
                        "Unknown role '%(role)s'; known roles: %(known)s.",
                        role=role,
                        known=", ".join(all_roles),
                    )
                )

        if row_problems:
            problems.extend((start, message) for message in row_problems)
        else:
            rows.append(UserRow(start, email, name, department, job_role, frozenset(roles)))
    if not rows and not problems:
        problems.append((1, _("The file holds no users.")))
    return ParseResult(rows, problems)


def _normalise_header(cell):
    return "".join(ch for ch in cell.strip().lower() if ch not in " _-").replace("\ufeff", "")
