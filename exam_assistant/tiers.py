"""Urgency tiers of red flags, lowest first; shared by the pack schema and the hold-back policy."""

from __future__ import annotations

from typing import Literal

Tier = Literal["EMERGENCY", "SAME_DAY", "URGENT", "ROUTINE"]
TIER_ORDER: dict[str, int] = {"ROUTINE": 0, "URGENT": 1, "SAME_DAY": 2, "EMERGENCY": 3}
