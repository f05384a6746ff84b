"""PAdES signatures (pyHanko) with a self-signed certificate made at run time, validated by pyHanko;
and the batch export writes frozen final notes byte for byte, whatever the clinic profile says."""

from __future__ import annotations

import concurrent.futures
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from exam_assistant.cli import main
from exam_assistant.library import Library
from exam_assistant.store import open_store
from reports import ClinicProfile
from reports.frozen import frozen_renderer
from reports.signing import FIELD_NAME
from tests.reports.conftest import EXAMPLES, example, save_artifact
from tests.reports.pdftext import reader

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clinic_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and its RSA key, as PEM files (made now, never checked in)."""
    folder = tmp_path_factory.mktemp("pki")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Riverside Spine Test Signer"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Riverside Spine & Physio")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "clinic.crt.pem", folder / "clinic.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _status(pdf: bytes, cert_path: Path) -> tuple[bool, bool, bytes]:
    """(intact, valid, signer's certificate DER) as pyHanko reports them, trusting only our certificate."""
    cert = load_cert_from_pemder(str(cert_path))  # type: ignore[no-untyped-call]
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    # pyHanko runs asyncio.run; an earlier browser test may leave a loop in this thread
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, ValidationContext(trust_roots=[cert])).result()
    return status.intact, status.valid, status.signing_cert.dump()


def _widget_rect(pdf: bytes) -> tuple[int, list[float]]:
    """The page index and rectangle of the signature field's widget."""
    for n, page in enumerate(reader(pdf).pages):
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/T") == FIELD_NAME or obj.get("/Parent", {}).get("/T") == FIELD_NAME:
                return n, [float(v) for v in obj["/Rect"]]
    raise AssertionError("no signature widget")


def test_cli_signs_the_note_and_pyhanko_validates_it(tmp_path: Path, clinic_key: tuple[Path, Path]) -> None:
    cert, key = clinic_key
    out = tmp_path / "note.pdf"
    args = ["export", "pdf", str(EXAMPLES / "c6_radiculopathy.json"), "-o", str(out),
            "--sign-cert", str(cert), "--sign-key", str(key)]
    assert main(args) == 0
    pdf = out.read_bytes()
    save_artifact("signed_c6", pdf)
    intact, valid, signer = _status(pdf, cert)
    assert intact and valid
    assert signer == load_cert_from_pemder(str(cert)).dump()  # type: ignore[no-untyped-call]
    page, (x1, y1, x2, y2) = _widget_rect(pdf)
    assert x2 - x1 > 100 and y2 - y1 > 30  # a visible box, not an invisible signature
    assert "Signature" in reader(pdf).pages[page].extract_text()
    # One changed byte inside the signed range breaks it: the check can fail.
    tampered = pdf.replace(b"/Producer", b"/Producex", 1)
    assert tampered != pdf and not _status(tampered, cert)[0]


def test_cli_needs_both_certificate_and_key(tmp_path: Path, clinic_key: tuple[Path, Path]) -> None:
    code = main(["export", "pdf", str(EXAMPLES / "c6_radiculopathy.json"), "-o", str(tmp_path / "x.pdf"),
                 "--sign-cert", str(clinic_key[0])])
    assert code == 2 and not (tmp_path / "x.pdf").exists()


def test_finalising_with_a_clinic_key_freezes_a_signed_note(
    tmp_path: Path, library: Library, clinic: ClinicProfile, clinic_key: tuple[Path, Path]
) -> None:
    repo = open_store(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    profile = clinic.model_copy(update={"sign_cert": clinic_key[0], "sign_key": clinic_key[1]})
    stored = repo.save_draft(example("neck_pain_normal_exam"), None, "Dr Sam Okafor")
    repo.finalise(stored.id, stored.version, "Dr Sam Okafor", render=frozen_renderer(library, profile))
    frozen = repo.frozen_note(stored.id)
    assert frozen is not None and frozen.signed
    assert _status(frozen.pdf, clinic_key[0])[:2] == (True, True)
    repo.engine.dispose()


def test_batch_export_writes_the_frozen_final_note_whatever_the_profile(
    tmp_path: Path, library: Library, clinic: ClinicProfile
) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    repo = open_store(url)
    stored = repo.save_draft(example("c6_radiculopathy"), None, "tester")
    repo.finalise(stored.id, stored.version, "tester", render=frozen_renderer(library, clinic))
    frozen = repo.frozen_note(stored.id)
    assert frozen is not None
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"name": "Renamed Clinic", "paper": "Letter"}))
    out = tmp_path / "notes"
    args = ["export", "pdf", "--from-db", "--database", url, "-o", str(out), "--clinic-profile", str(profile),
            "--actor", "tester", "--workers", "1"]
    assert main(args) == 0
    (written,) = out.glob("*.pdf")
    assert hashlib.sha256(written.read_bytes()).hexdigest() == frozen.sha256
    assert [e.detail for e in repo.audit_history(stored.id) if e.event == "exported"] == ["pdf"]
    repo.engine.dispose()


def test_an_encrypted_key_takes_its_passphrase_from_the_environment(
    tmp_path: Path, clinic_key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = clinic_key
    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    locked = tmp_path / "locked.key.pem"
    locked.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.BestAvailableEncryption(b"correct horse")))
    args = ["export", "pdf", str(EXAMPLES / "neck_pain_normal_exam.json"), "-o", str(tmp_path / "n.pdf"),
            "--sign-cert", str(cert), "--sign-key", str(locked)]
    monkeypatch.delenv("EXAM_ASSISTANT_SIGN_KEY_PASSPHRASE", raising=False)
    assert main(args) == 2 and not (tmp_path / "n.pdf").exists()
    monkeypatch.setenv("EXAM_ASSISTANT_SIGN_KEY_PASSPHRASE", "correct horse")
    assert main(args) == 0
    assert _status((tmp_path / "n.pdf").read_bytes(), cert)[:2] == (True, True)
