"""The appendix: everything the short note summarises, in full, after the signature.

It starts on a new page under the heading ``Appendix``: the history with the full denied list,
every test, the neurological table and figure, clusters and decision rules, the differential
with findings for and against, the protocol suggestions with their tables, and the references.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from reports.closing import references
from reports.context import NoteContext
from reports.findings import Sorted
from reports.flowables import Paragraph
from reports.objective import objective
from reports.plan import assessment, plan
from reports.sections import subjective

APPENDIX_INTRO = (
    "The evidence behind the note above: every answer and test as recorded, the calculations, and every "
    "protocol suggestion with its source, whether taken or not."
)


def appendix(ctx: NoteContext, s: Sorted) -> list[Flowable]:
    return [
        PageBreak(),
        Paragraph("Appendix", ctx.st.title),
        ctx.p(APPENDIX_INTRO, ctx.st.small),
        *subjective(ctx, s, title="History and red-flag screen"),
        *objective(ctx, s, title="Examination in full"),
        *assessment(ctx, title="Differential diagnosis"),
        *plan(ctx, title="Protocol suggestions"),
        *references(ctx),
    ]
