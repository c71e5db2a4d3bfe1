"""The words a person may type for the journal's fields, as help and messages list them.

Made from the one table of each enumeration (:mod:`stakegraph.records.vocabulary`):
``"visit 拜访, meeting 会议, ..."``; every word listed parses as its value.
"""

from __future__ import annotations

from stakegraph.records.vocabulary import choices

INTERACTION_KINDS = choices("InteractionKind")
RELATIONSHIP_LEVELS = choices("RelationshipLevel")
ACTION_STATUSES = choices("ActionStatus")
