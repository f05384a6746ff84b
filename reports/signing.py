"""PAdES signatures of final notes with pyHanko, in the signature box the note leaves for it.

The note marks where its signature box was drawn (:class:`SignatureAnchor`); the signature's
visible appearance is placed exactly there, on that page. The certificate and key are the
clinic's, as PEM files; an encrypted key takes its passphrase from
``EXAM_ASSISTANT_SIGN_KEY_PASSPHRASE`` so it never sits in a settings file.
"""

from __future__ import annotations

import concurrent.futures
import io
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable

FIELD_NAME = "ClinicianSignature"
PASSPHRASE_ENV = "EXAM_ASSISTANT_SIGN_KEY_PASSPHRASE"  # noqa: S105 (the name of a variable, not a secret)


class SigningError(ValueError):
    """The certificate or key cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class SignatureSpot:
    """Where the note drew its signature box: page index (from 0) and box in points."""

    page: int
    box: tuple[int, int, int, int]


class SignatureAnchor(Flowable):  # type: ignore[misc]
    """An empty box that records where it was drawn, so the digital signature lands in it."""

    def __init__(self, width: float, height: float, sink: list[SignatureSpot]) -> None:
        super().__init__()
        self.width, self.height, self.sink = width, height, sink

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.sink.append(
            SignatureSpot(self.canv.getPageNumber() - 1, (int(x), int(y), int(x + self.width), int(y + self.height)))
        )


@dataclass(frozen=True)
class SigningKey:
    """The clinic's certificate and private key (PEM files)."""

    cert: Path
    key: Path

    def check(self) -> None:
        for label, path in (("certificate", self.cert), ("private key", self.key)):
            if not path.is_file():
                raise SigningError(f"the signing {label} {path} does not exist")


def _latin(text: str) -> str:
    """The stamp's built-in font is Latin-1 only; the note itself prints the name in full."""
    return text.encode("latin-1", "replace").decode("latin-1").replace("%", "%%")


def sign_pdf(pdf: bytes, spot: SignatureSpot | None, signing: SigningKey, clinician: str, reason: str) -> bytes:
    """The PDF with a PAdES baseline signature, visible in ``spot`` (invisible when None)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signing.check()
    passphrase = os.environ.get(PASSPHRASE_ENV)
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        str(signing.key), str(signing.cert), key_passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise SigningError("the signing certificate or key could not be read (PEM files, matching each other)")
    spec = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        on_page=spot.page if spot else 0,
        box=spot.box if spot else None,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=clinician,
    )
    style = TextStampStyle(stamp_text=f"Digitally signed\n{_latin(clinician)}\n%(ts)s", border_width=1)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # pyHanko runs its own event loop (asyncio.run); inside a thread that already has one (a browser
    # driver, an async server) that fails, so the signing runs on a short-lived worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        out = pool.submit(pdf_signer.sign_pdf, writer, output=io.BytesIO()).result()
    return bytes(out.getvalue())
