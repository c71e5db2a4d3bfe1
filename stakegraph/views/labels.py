"""Every label, colour and font the views print, defined once."""

from __future__ import annotations

from stakegraph.records.vocabulary import labels

#: Bilingual labels of stances and roles ("坚定支持者 champion"), from the one table of
#: each enumeration (stakegraph.records.vocabulary), so every printed label parses back.
STANCE_LABELS = labels("Stance")

ROLE_LABELS = labels("RoleKind")

#: The three phases of the inverted-triangle plan (倒三角), top-down.
PHASE_LABELS = {
    "senior": "高层对接 senior pairing",
    "middle": "持续互动 channels",
    "base": "责任到人 named owners",
}

#: Marks an acting holder (主持工作, 代理) beside their name in chains and tables.
ACTING_LABEL = "主持工作 acting"


def holder_name(name: str, acting: bool) -> str:
    """A holder's name, flagged when they act for the post without being appointed."""
    return f"{name} ({ACTING_LABEL})" if acting else name
