"""The ``stakegraph`` command: a thin click layer over the library.

Each command parses its arguments, calls one library function and prints the
result as a table (or JSON with ``--json``). Heavy libraries are imported inside
the commands so that ``stakegraph --help`` stays instant.
"""

from __future__ import annotations

from typing import Any

import click

from stakegraph.cli.common import cache_option, encoding_option, language_option

EPILOG = (
    "Docs and examples: README.md. Terms: 决策链 decision chain, 分管 oversight, "
    "条块 territory and line, 倒三角 inverted triangle, 责任到人 named owner."
)


class _Group(click.Group):
    """The command group: whatever a command did not handle becomes one line, never a traceback.

    Click's own errors (bad options and values, exit status 2) pass through; every
    other error is explained by :func:`stakegraph.cli.common.explain_error`.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            raise  # output piped into `head`: click closes quietly, as before
        except Exception as exc:
            from stakegraph.cli.common import fail_on_error

            fail_on_error(exc)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(package_name="stakegraph")
@encoding_option
@cache_option
@language_option
def main() -> None:
    """stakegraph: map and analyse the decision chains (决策链) of government accounts.

    A workspace is a folder of YAML files (or CSV files, or one .xlsx workbook)
    describing organisations, posts, officials, our owners, relationships, ties
    (非正式组织) and opportunities. Start with `stakegraph init DIR`.

    Validated records are kept in .stakegraph-cache/ inside the workspace folder
    (beside a workbook: .NAME.xlsx.stakegraph-cache/), so an unchanged file is not
    read again; it is safe to delete. --no-cache reads every file afresh.
    """


def _register_command_modules() -> None:
    # One module per job; each lists its commands and attaches them here.
    from stakegraph.cli import (
        accounts,
        analyse,
        followup,
        imports,
        journal,
        neo4j,
        pictures,
        workspace,
    )

    for module in (workspace, imports, analyse, pictures, journal, followup, accounts, neo4j):
        module.register(main)


_register_command_modules()

if __name__ == "__main__":  # pragma: no cover
    main()
