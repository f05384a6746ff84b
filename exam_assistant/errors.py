"""Stable error codes and exit codes, in one catalogue, so messages can be looked up and tested."""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes of the `exam-assistant` command (documented in the README).
EXIT_OK = 0
EXIT_USAGE = 1
EXIT_INVALID = 2
EXIT_NOT_FOUND = 3
EXIT_CONFLICT = 4
EXIT_PARTIAL = 5

CODES: dict[str, str] = {
    "PACK_001": "the file is not valid YAML",
    "PACK_002": "the document does not match the protocol pack schema",
    "PACK_003": "a rule or cluster refers to an item id that no loaded pack defines",
    "PACK_004": "two packs, or two items, share one id",
    "PACK_005": "a cited reference key is not defined",
    "PACK_006": "a rule refers to a rule id that is not defined, or rules refer to each other in a cycle",
    "PACK_007": "a value does not fit the item it is compared with",
    "PACK_008": "the file could not be read",
    "PACK_009": "an entry point could not be loaded",
    "ENC_001": "the encounter does not match the encounter schema",
    "ENC_002": "a finding names an item id the loaded library does not know",
    "ENC_003": "a finding does not fit its item",
    "ENC_004": "a value an encounter cannot hold: NaN, Infinity, or a control character outside free text",
    "ENC_005": "the encounter is too large, has too many findings or is nested too deeply",
    "ENC_006": "the visit date is before the patient's date of birth",
    "CASE_001": "the case file is not valid YAML",
    "CASE_002": "the case does not match the case schema",
    "CASE_003": "the case names an item, diagnosis or rule id that no loaded pack defines",
    "CASE_004": "a simulated finding does not fit its item",
    "CASE_005": "the case cites a reference key that no loaded pack defines",
    "CASE_006": "two cases share one id",
    "CASE_007": "an expected answer cannot be marked with what the library holds",
    "CASE_008": "the file could not be read",
    "CASE_009": "the attempt does not match the attempt format",
    "CASE_010": "the attempt names a case that is not loaded",
}


@dataclass(frozen=True)
class Problem:
    """One located, plain-words problem found while loading or validating."""

    code: str
    source: str
    message: str
    path: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        if self.path:
            where += f" at {self.path}"
        return f"{where}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "source": self.source, "path": self.path, "line": self.line,
                "message": self.message}


class ExamAssistantError(Exception):
    """Base class for errors a user is meant to read."""


class LibraryError(ExamAssistantError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
