"""The words a person may type for the journal's fields, as help and messages list them."""

from __future__ import annotations

from stakegraph.records.model import InteractionKind

INTERACTION_KINDS = ", ".join(k.value for k in InteractionKind)
RELATIONSHIP_LEVELS = "vendor (卖主关系), preferred (被优先考虑的供应商), partner (合作伙伴关系), strategic (战略联盟关系)"
ACTION_STATUSES = "planned, in_progress, done, dropped (or 计划, 进行中, 完成, 取消)"
