"""How posts are named in every table, figure and message: one rule, one place."""

from __future__ import annotations

from stakegraph.records.workspace import Workspace


def post_label(workspace: Workspace, post_id: str) -> str:
    """Organisation and title as one name, without repeating their shared words.

    ``江川市财政局预算科`` + ``预算科科长`` → ``江川市财政局预算科科长``.
    """
    post = workspace.posts[post_id]
    org = workspace.organisations[post.org].name
    title = post.title
    for size in range(min(len(org), len(title)), 1, -1):  # one shared character is chance
        if org.endswith(title[:size]):
            return org + title[size:]
    joiner = " " if org[-1:].isascii() and title[:1].isascii() else ""
    return org + joiner + title
