"""The end of the note: references actually cited, the signature block and the disclaimer."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from reports.context import NoteContext
from reports.flowables import Paragraph
from reports.hosts import url_allowed
from reports.sections import DISCLAIMER, heading
from reports.signing import SignatureAnchor
from reports.styles import INK
from reports.text import escape, markup


def references(ctx: NoteContext) -> list[Flowable]:
    """Only the references cited in the note, numbered in order of first citation."""
    keys = ctx.citations.order
    if not keys:
        return []
    out = heading(ctx, "References")
    for n, key in enumerate(keys, 1):
        ref = ctx.library.references.get(key)
        if ref is None:
            text = f"{markup(key)} (not defined in the loaded protocols)"
        else:
            text = markup(ref.citation)
            if ref.doi:
                text += f" doi:{markup(ref.doi)}"
            if ref.url and not ref.doi and url_allowed(ref.url):  # never a file-sharing site or mirror
                text += f" {markup(ref.url)}"
        out.append(Paragraph(f"{n}. {text}", ctx.st.small))
    return out


SIGNATURE_BOX_WIDTH = 78 * mm
SIGNATURE_BOX_HEIGHT = 16 * mm


def _signature_cell(ctx: NoteContext, signed: bool) -> Flowable:
    """Blank above the line for a handwritten signature; the digital signature, if any, goes in the box."""
    if not signed and not ctx.options.signing:
        return Paragraph("<i>not signed: draft</i>", ctx.st.cell)
    return SignatureAnchor(SIGNATURE_BOX_WIDTH, SIGNATURE_BOX_HEIGHT, ctx.signature_spots)


def signature(ctx: NoteContext) -> list[Flowable]:
    """Name, role, registration number, a line to sign on and the date."""
    st = ctx.st
    enc = ctx.encounter
    clin = enc.clinician
    signed = enc.status == "final" and enc.finalised_at is not None
    if signed and enc.finalised_at is not None:
        date_text = "withheld" if ctx.options.deidentified else ctx.day(ctx.clock.local_day(enc.finalised_at))
    else:
        date_text = ""
    rows = [
        [Paragraph("<b>Clinician</b>", st.cell), ctx.p(clin.name if clin else "", st.cell)],
        [Paragraph("<b>Role</b>", st.cell), ctx.p(clin.role if clin else "", st.cell)],
        [
            Paragraph("<b>Registration no.</b>", st.cell),
            ctx.p((clin.registration_number or "") if clin else "", st.cell),
        ],
        [Paragraph("<b>Signature</b>", st.cell), _signature_cell(ctx, signed)],
        [Paragraph("<b>Date</b>", st.cell), Paragraph(escape(date_text), st.cell)],
    ]
    box_height = SIGNATURE_BOX_HEIGHT + 3 if signed or ctx.options.signing else 11 * mm
    table = Table(
        rows, colWidths=[32 * mm, 80 * mm], rowHeights=[None, None, None, box_height, 7 * mm], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 3), (1, 4), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    block: list[Flowable] = [*heading(ctx, "Signature"), table]
    if ctx.options.signing:
        block.append(ctx.p("Digitally signed (PAdES): a PDF reader's signature panel shows whether the file is "
                           "unchanged since signing and who signed it.", ctx.st.small))
    block += [Spacer(1, 5 * mm), Paragraph(escape(DISCLAIMER), ctx.st.small)]
    return [KeepTogether(block)]
