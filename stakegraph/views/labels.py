"""Every label, colour and font the views print, defined once."""

from __future__ import annotations

STANCE_LABELS = {
    "champion": "坚定支持者 champion",
    "supporter": "支持者 supporter",
    "neutral": "中立 neutral",
    "skeptic": "怀疑 skeptic",
    "opponent": "反对 opponent",
}

ROLE_LABELS = {
    "decision_maker": "决策者 decision maker",
    "approver": "审批者 approver",
    "budget_holder": "预算 budget holder",
    "evaluator": "评估者 evaluator",
    "influencer": "影响者 influencer",
    "user": "使用者 user",
    "gatekeeper": "把关者 gatekeeper",
}

#: Marks an acting holder (主持工作, 代理) beside their name in chains and tables.
ACTING_LABEL = "主持工作 acting"


def holder_name(name: str, acting: bool) -> str:
    """A holder's name, flagged when they act for the post without being appointed."""
    return f"{name} ({ACTING_LABEL})" if acting else name
