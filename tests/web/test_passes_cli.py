"""`flask passes issue|verify|revoke`: the command-line contract, as a separate process."""

import io
import json

from pypdf import PdfReader

from app.mediapass.pdf import CONTENT_NAME
from tests.processes import flask_commands
from tests.web.test_passes import _one_byte, _with_attachment, holder, kmk  # noqa: F401

LEARNER = "learner@muster-gmbh.example"


def _json(result):
    assert len(result.stdout.splitlines()) == 1, result.stdout
    return json.loads(result.stdout)


def test_issue_verify_tamper_and_revoke_as_scripts_call_them(tmp_path):
    out = tmp_path / "pass.pdf"
    with flask_commands("pcli", tmp_path / "instance") as flask:
        assert flask("db", "upgrade").returncode == 0
        assert flask("seed", "demo").returncode == 0

        issued = flask("passes", "issue", "--user", LEARNER.upper(), "--out", str(out))
        assert issued.returncode == 0, issued.stderr
        printed = _json(issued)
        assert set(printed) == {"serial", "sha256", "url"}
        assert printed["url"].endswith(f"/verify/{printed['serial']}")
        reader = PdfReader(io.BytesIO(out.read_bytes()))
        assert printed["serial"] in reader.pages[0].extract_text()
        # The key was created once into the instance folder, readable by its owner only.
        key = tmp_path / "instance" / "medienpass-signing-key.pem"
        assert oct(key.stat().st_mode & 0o777) == "0o600"

        verified = flask("passes", "verify", str(out))
        assert verified.returncode == 0, verified.stderr
        assert _json(verified) == {"valid": True, "serial": printed["serial"], "status": "valid"}

        tampered = tmp_path / "tampered.pdf"
        tampered.write_bytes(_with_attachment(out.read_bytes(), CONTENT_NAME, _one_byte))
        result = flask("passes", "verify", str(tampered))
        assert result.returncode != 0
        assert _json(result) == {
            "valid": False,
            "serial": printed["serial"],
            "status": "tampered",
        }

        revoked = flask("passes", "revoke", printed["serial"], "--reason", "Falsche Person")
        assert revoked.returncode == 0, revoked.stderr
        assert _json(revoked) == {"serial": printed["serial"], "status": "revoked"}
        result = flask("passes", "verify", str(out))
        assert result.returncode != 0 and _json(result)["status"] == "revoked"

        # Bad input: a message on stderr naming the problem, nothing on stdout.
        result = flask("passes", "issue", "--user", "niemand@x.example", "--out", str(out))
        assert result.returncode != 0 and "niemand@x.example" in result.stderr
        assert result.stdout == ""


def test_bad_input_names_the_problem_and_makes_nothing(app, db, kmk, holder, tmp_path):  # noqa: F811
    from sqlalchemy import func, select

    from app.mediapass import issuing
    from app.mediapass.models import MedienPass

    runner = app.test_cli_runner()
    serial = issuing.issue(None, holder).serial
    for args, message in (
        (("issue", "--user", "niemand@x.example", "--out", str(tmp_path / "n.pdf")), "niemand"),
        (("issue", "--user", holder.email, "--out", str(tmp_path / "no" / "n.pdf")), "not exist"),
        (("issue", "--user", holder.email, "--framework", "999", "--out", "x.pdf"), "id 999"),
        (("issue", "--user", holder.email, "--language", "fr", "--out", "x.pdf"), "fr"),
        (("revoke", "MP-2026-AAAA-BBBB-CCCC", "--reason", "x"), "MP-2026-AAAA-BBBB-CCCC"),
        (("revoke", serial, "--reason", "  "), "reason"),
        (("verify", str(tmp_path / "missing.pdf")), "missing.pdf"),
    ):
        result = runner.invoke(args=["passes", *args])
        assert result.exit_code != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert result.stdout == "", args
    assert not (tmp_path / "n.pdf").exists()
    assert db.session.scalar(select(func.count()).select_from(MedienPass)) == 1
    assert issuing.by_serial(serial).status == "valid"

    not_a_pass = tmp_path / "other.pdf"
    not_a_pass.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = runner.invoke(args=["passes", "verify", str(not_a_pass)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"valid": False, "serial": "", "status": "unknown"}
