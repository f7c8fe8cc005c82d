"""The users CSV parser: every problem with its line, nothing else needed."""

from pathlib import Path

from app.accounts.userimport import parse_users

DATA = Path(__file__).resolve().parents[1] / "data"
DEPARTMENTS = {name.lower(): name for name in ("Vertrieb", "Personal", "IT-Support")}
JOB_ROLES = {name.lower(): name for name in ("Sachbearbeitung", "Führungskraft", "IT-Support")}
ROLES = ("learner", "trainer", "hr", "admin")


def parse(data):
    return parse_users(data, DEPARTMENTS, JOB_ROLES, ROLES)


def test_good_file_gives_every_row():
    result = parse((DATA / "users_good.csv").read_bytes())
    assert result.ok
    assert [row.email for row in result.rows] == [
        "anna.schulz@firma.example",
        "tim.wolf@firma.example",
        "katarzyna.nowak@firma.example",
    ]
    assert result.rows[1].roles == {"learner", "hr"}
    assert result.rows[2].roles == {"learner", "trainer"}
    assert result.rows[2].name == "Nowak, Katarzyna"
    assert result.rows[1].job_role == "Führungskraft"


def test_excel_file_with_bom_semicolons_and_german_headers():
    result = parse((DATA / "users_excel_semicolon.csv").read_bytes())
    assert result.ok, result.problems
    row = result.rows[0]
    assert (row.department, row.job_role, row.roles) == ("Vertrieb", "Sachbearbeitung", {"learner"})


def test_windows_1252_file_is_read():
    text = (
        "email;name;department;job_role;roles\r\n"
        "j@firma.example;Jürgen Weiß;Personal;Führungskraft;hr\r\n"
    )
    result = parse(text.encode("cp1252"))
    assert result.ok, result.problems
    assert result.rows[0].name == "Jürgen Weiß"


def test_every_bad_row_is_reported_with_its_line():
    result = parse((DATA / "users_three_bad_rows.csv").read_bytes())
    lines = [line for line, _message in result.problems]
    assert lines == [3, 5, 8]
    messages = " ".join(message for _line, message in result.problems)
    assert "kein-at-zeichen" in messages
    assert "Unknown department 'Vertreib'" in messages
    assert "Unknown role 'chef'" in messages


def test_line_numbers_count_physical_lines_of_quoted_multiline_fields():
    text = (
        "email,name,department,job_role,roles\n"
        '"a@firma.example","Anna\nMehrzeilig",Vertrieb,Sachbearbeitung,learner\n'
        "kaputt,B,Vertrieb,Sachbearbeitung,learner\n"
    )
    assert [line for line, _ in parse(text.encode()).problems] == [4]


def test_duplicate_address_names_the_first_line():
    text = (
        "email,name,department,job_role,roles\n"
        "a@firma.example,A,Vertrieb,Sachbearbeitung,\n"
        "A@Firma.example,A2,Vertrieb,Sachbearbeitung,\n"
    )
    problems = parse(text.encode()).problems
    assert problems == [(3, "The e-mail address a@firma.example already appears in line 2.")]


def test_missing_columns_are_named():
    problems = parse(b"email,name,roles\na@firma.example,A,learner\n").problems
    assert problems[0][0] == 1
    assert "department, job_role;" in problems[0][1]


def test_empty_file_and_header_only():
    assert parse(b"").problems == [(1, "The file is empty.")]
    assert parse(b"email,name,department,job_role,roles\n").problems == [
        (1, "The file holds no users.")
    ]


def test_missing_values_each_reported():
    text = b"email,name,department,job_role,roles\n,,,,\n ,x,,,\n"
    problems = parse(text).problems
    # line 2 is blank in substance and skipped; line 3 lacks e-mail, department, job role
    assert [line for line, _ in problems] == [3, 3, 3]


def test_too_many_fields():
    text = b"email,name,department,job_role,roles\na@firma.example,A,Vertrieb,Sachbearbeitung,x,y\n"
    assert parse(text).problems == [(2, "6 fields, but the header has 5.")]
