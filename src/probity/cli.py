"""The `probity` command line: parses, calls a stage, prints. Commands and columns follow
the output contract (`spec/outputs.md`)."""

from __future__ import annotations

import csv
import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from probity import cli_governance
from probity.cli_common import (
    DEFAULT_WORKSPACE,
    FLAG,
    ActorOpt,
    PolicyOpt,
    Purpose,
    ReasonOpt,
    ReportFormat,
    RevealOpt,
    WorkspaceOpt,
    allow,
    err,
    fail,
    out,
)
from probity.publish.workspace import WorkspaceError, keep_private

if TYPE_CHECKING:
    from probity.policy import Policy
    from probity.warehouse.spark import SparkSettings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Probity: surfaces, explains and records; people decide.",
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        sys.stdout.write(f"probity {version('probity')}\n")
        raise typer.Exit()


@app.callback()
def private_files(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="print the version and stop",
            metavar=FLAG,
        ),
    ] = False,
) -> None:
    """Everything a command writes (workspaces, exports, reports) is its owner's alone."""
    keep_private()


links_app = typer.Typer(help="Identity links: list them, and review the uncertain ones.")
app.add_typer(links_app, name="links")


class ListFormat(StrEnum):
    """How the queue and link listings are printed; csv and json are audited exports."""

    table = "table"
    csv = "csv"
    json = "json"


class SynthFormat(StrEnum):
    auto = "auto"
    csv = "csv"
    parquet = "parquet"


@app.command()
def synth(
    people: Annotated[int, typer.Option(help="people in the force")] = 2000,
    years: Annotated[int, typer.Option(help="years of history")] = 1,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    out_dir: Annotated[Path, typer.Option("--out", help="exports folder to write")] = Path(
        "synthetic-force"
    ),
    truth: Annotated[
        Path | None,
        typer.Option(help="ground-truth folder (default: beside the exports, OUT-truth)"),
    ] = None,
    file_format: Annotated[
        SynthFormat, typer.Option("--format", help="auto: Parquet for the three largest tables")
    ] = SynthFormat.auto,
    world_file: Annotated[
        Path | None,
        typer.Option("--world", help="a world file: what kind of force to build (worlds/*.yaml)"),
    ] = None,
) -> None:
    """Write a synthetic force in the source-export layout, with its planted ground truth beside it."""
    from probity.synth.force import SynthSpec, build_force
    from probity.synth.settings import WorldSettings, load_world
    from probity.synth.tables import force_tables
    from probity.synth.write import default_truth_dir, write_force

    if people < 50 or years < 1:
        fail("a synthetic force needs at least 50 people and 1 year", 2)
    truth_dir = truth or default_truth_dir(out_dir)
    if truth_dir.resolve().is_relative_to(out_dir.resolve()):
        fail("the ground truth must not be written inside the exports folder", 2)
    try:
        settings = load_world(world_file) if world_file else WorldSettings()
    except ValueError as e:
        fail(str(e), 2)
    started = time.perf_counter()
    with _progress() as bar:
        task = bar.add_task("building", total=None)
        world = build_force(
            SynthSpec(people, years, seed, settings),
            progress=lambda s: bar.update(task, description=s),
        )
        bar.update(task, description="writing tables")
        counts = write_force(force_tables(world), out_dir, truth_dir, file_format.value)
    err.print(
        f"wrote {sum(counts.values()):,} rows in {len(counts)} tables to {out_dir} in {time.perf_counter() - started:.1f}s"
    )
    err.print(f"ground truth: {truth_dir}")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command()
def run(
    source_dir: Annotated[
        Path, typer.Argument(help="exports folder laid out as in source-exports.md")
    ],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    policy: PolicyOpt = None,
    actor: ActorOpt = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="read every table again, even those unchanged (or only added to) since the last good run",
            metavar=FLAG,
        ),
    ] = False,
    engine: Annotated[
        str, typer.Option(help="where the detectors run: duckdb (embedded) or spark")
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(help="Spark master URL (default $PROBITY_SPARK_MASTER or local[2])"),
    ] = None,
    spark_conf: Annotated[
        list[str] | None,
        typer.Option(help="a Spark setting KEY=VALUE (repeat for more)"),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            envvar="PROBITY_MEMORY_LIMIT",
            help="cap DuckDB's memory (e.g. 8GB; default 40% of the machine's); beyond it work "
            "spills to disk, and the report says so",
        ),
    ] = None,
    accept_shrink: Annotated[
        str | None,
        typer.Option(
            metavar="REASON",
            help="publish although a table holds far fewer records than in the last good run "
            "(policy ingest.max_shrink), for this reason (audited)",
        ),
    ] = None,
) -> None:
    """Ingest, resolve, detect, rank and publish a run into the workspace.

    Tables whose files are unchanged since the last good run, or only have records added at
    the end, are taken from that run; the result is the same as reading everything again.
    `--engine spark` runs the detectors on Spark (docs/operations.md)."""
    from probity.warehouse.spark import SparkSettings

    principal = allow(workspace, actor, "run")
    if engine not in ("duckdb", "spark"):
        fail(f"--engine is duckdb or spark, not {engine!r}", 2)
    settings = None
    if engine == "spark":
        conf = dict(item.split("=", 1) for item in spark_conf or [] if "=" in item)
        if len(conf) != len(spark_conf or []):
            fail("--spark-conf takes KEY=VALUE", 2)
        settings = (
            SparkSettings(conf=conf) if spark_master is None else SparkSettings(spark_master, conf)
        )
    report = _run(
        source_dir,
        workspace,
        policy,
        principal.name,
        not full,
        settings,
        memory_limit,
        accept_shrink,
    )
    _print_report(report)


def _run(
    source_dir: Path,
    workspace: Path,
    policy: Path | None,
    actor: str,
    incremental: bool = True,
    spark: SparkSettings | None = None,
    memory_limit: str | None = None,
    accept_shrink: str | None = None,
) -> dict[str, Any]:
    """Run the pipeline with a progress line; a failure exits with the reason."""
    from probity.ingest.errors import SourceFileError
    from probity.ingest.shrink import ShrinkRefused
    from probity.pipeline import RunFailed, run_pipeline

    chosen = _policy_or_fail(policy)
    with _progress() as bar:
        task = bar.add_task("starting", total=None)
        try:
            return run_pipeline(
                source_dir,
                workspace,
                policy=chosen,
                actor=actor,
                incremental=incremental,
                spark_settings=spark,
                memory_limit=memory_limit,
                accept_shrink=accept_shrink,
                progress=lambda stage, detail: bar.update(
                    task, description=f"{stage} {detail}".strip()
                ),
            )
        except RunFailed as e:
            bar.stop()
            cause = e.__cause__
            kind = (
                "bad input"
                if isinstance(cause, SourceFileError)
                else "refused"
                if isinstance(cause, ShrinkRefused)
                else "run failed"
            )
            current = _current(workspace)
            fail(
                f"{kind}: {e}\nrun {e.run_id} was not published; current run is still {current or 'none'}"
            )
        except WorkspaceError as e:
            fail(str(e))
    raise AssertionError("unreachable")


@app.command()
def evaluate(
    source_dir: Annotated[
        Path | None,
        typer.Argument(help="exports folder laid out as in source-exports.md (not with --worlds)"),
    ] = None,
    truth: Annotated[
        Path | None, typer.Option(help="ground-truth folder (planted.csv, decoys.csv)")
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    policy: PolicyOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.text,
    actor: ActorOpt = None,
    worlds: Annotated[
        Path | None,
        typer.Option(help="a folder of world files: build, run and measure each, one table"),
    ] = None,
    people: Annotated[int, typer.Option(help="people in each world's force")] = 2000,
    years: Annotated[int, typer.Option(help="years of history in each world")] = 1,
    seed: Annotated[int, typer.Option(help="random seed of every world")] = 1,
) -> None:
    """Run on SOURCE_DIR, then measure the queue against the planted truth and the threshold
    baseline; the figures are kept beside the run as evaluation.json. With --worlds, build each
    world's force under WORKSPACE/worlds, run it with the same defaults, and print one table
    (kept as WORKSPACE/worlds/worlds.json)."""
    from probity.evaluation.evaluate import evaluate_published
    from probity.evaluation.truth import Truth, TruthError
    from probity.publish.workspace import Workspace

    if worlds is not None:
        if source_dir is not None or truth is not None:
            fail("--worlds builds its own forces: give no SOURCE_DIR or --truth with it", 2)
        _evaluate_worlds(worlds, workspace, policy, actor, fmt, (people, years, seed))
        return
    if source_dir is None or truth is None:
        fail("give SOURCE_DIR and --truth, or --worlds", 2)
    try:
        planted = Truth.read(truth)
    except TruthError as e:
        fail(str(e), 2)
    principal = allow(workspace, actor, "run")
    _run(source_dir, workspace, policy, principal.name)
    ws = Workspace(workspace)
    result = evaluate_published(ws, planted)
    (ws.run_dir(result["run_id"]) / "evaluation.json").write_text(
        json.dumps(result, indent=2), encoding="utf-8"
    )
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    _print_evaluation(result)


def _policy_or_fail(path: Path | None) -> Policy | None:
    """The policy file given, validated; exit 2 naming the file when it is not valid."""
    from probity.policy import load_policy

    try:
        return load_policy(path) if path else None
    except Exception as e:
        fail(f"policy {path}: {e}", 2)


def _evaluate_worlds(
    folder: Path,
    workspace: Path,
    policy_file: Path | None,
    actor: str | None,
    fmt: ReportFormat,
    size: tuple[int, int, int],
) -> None:
    from probity.evaluation.worlds import LINK_TASKS, evaluate_worlds
    from probity.synth.force import SynthSpec

    principal = allow(workspace, actor, "run")
    policy = _policy_or_fail(policy_file)
    with _progress() as bar:
        task = bar.add_task("worlds", total=None)
        try:
            rows = evaluate_worlds(
                folder,
                workspace / "worlds",
                SynthSpec(*size),
                policy=policy,
                actor=principal.name,
                progress=lambda name: bar.update(task, description=f"world {name}"),
            )
        except ValueError as e:
            fail(str(e), 2)
    (workspace / "worlds" / "worlds.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} worlds, {size[0]:,} people × {size[1]} years, seed {size[2]}")
    columns = {
        "world": "world",
        "planted": "planted",
        "recall_right_concern": "recall (right concern)",
        "decoy_share": "decoys in top k",
        "true_positive_ratio": "× baseline TP",
        "queue_share_of_headcount": "queue / headcount",
        "innocents_in_top_5_percent": "innocents in top 5%",
        "ethnic_flag_ratio": "ethnic ratio, innocents top 5%",
        "baseline_ethnic_flag_ratio": "baseline's",
        "fairness_held": "held by gate",
    }
    for title in columns.values():
        table.add_column(title)
    for row in rows:
        table.add_row(*(_cell(row[key]) for key in columns))
    out.print(table)
    identity = Table("world", title="Identity links against the truth: precision / recall")
    for link_task in LINK_TASKS:
        identity.add_column(link_task.replace("_", " "))
    for row in rows:
        links = [row["links"].get(t) for t in LINK_TASKS]
        identity.add_row(
            row["world"],
            *(f"{q['precision']:.3f} / {q['recall']:.3f}" if q else "-" for q in links),
        )
    out.print(identity)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(value) or "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _print_evaluation(result: dict[str, Any]) -> None:
    for purpose, section in result["purposes"].items():
        table = Table(title=f"{purpose}: {section['planted']} planted, {section['queued']} queued")
        for col in ("k", "precision", "recall", "decoys", "churn", "baseline TP", "ratio"):
            table.add_column(col)
        base = section.get("baseline", {}).get("at_k", {})
        for name, m in section["at_k"].items():
            b = base.get(name, {})
            table.add_row(
                f"{m['k']} ({name.replace('_', ' ')})",
                f"{m['precision']:.2f}",
                f"{m['recall']:.2f}" if m["recall"] is not None else "-",
                str(m["decoys"]),
                "-" if m["churn"] is None else f"{m['churn']:.2f}",
                str(b.get("true_positives", "-")),
                "-" if b.get("true_positive_ratio") is None else f"{b['true_positive_ratio']:.2f}×",
            )
        out.print(table)
        out.print(f"average precision {section['average_precision']}")


def _current(workspace: Path) -> str | None:
    from probity.publish.workspace import Workspace

    return Workspace(workspace).current_run()


def _print_report(report: dict[str, Any]) -> None:
    out.print(
        f"[bold]run {report['run_id']}[/] {report['status']} ({report['started_at']} → {report.get('finished_at')})"
    )
    if report.get("error"):
        out.print(f"[red]error:[/] {report['error']}")
    tables = Table("table", "read", "loaded", "quarantined", "reasons", "plan", title="Tables")
    plans = report.get("ingest", {}).get("tables", {})
    for name, t in report.get("tables", {}).items():
        reasons = "; ".join(f"{r}: {n}" for r, n in t["quarantine_reasons"].items())
        tables.add_row(
            name,
            f"{t['rows_read']:,}",
            f"{t['rows_loaded']:,}",
            f"{t['rows_quarantined']:,}",
            reasons,
            plans.get(name, ""),
        )
    out.print(tables)
    if report.get("ingest", {}).get("previous_run"):
        out.print(f"tables not read in full were taken from run {report['ingest']['previous_run']}")
    if report.get("absent_tables"):
        out.print(f"not provided: {', '.join(report['absent_tables'])}")
    for t in report.get("tables", {}).values():
        for column, feeds in t.get("missing_columns", {}).items():
            effect = f": {feeds}" if feeds else " (optional)"
            out.print(f"[yellow]{t['file']} has no column {column}[/]{effect}")
    for shrink in report.get("ingest", {}).get("shrink_accepted", []):
        out.print(f"[yellow]accepted shrink[/] {shrink}")
    if report.get("unknown_files"):
        out.print(f"ignored files: {', '.join(report['unknown_files'])}")
    ids = Table("task", "linked", "for review", "unlinked", "model", title="Identities")
    for task, c in report.get("identities", {}).items():
        ids.add_row(
            task,
            f"{c['linked']:,}",
            f"{c.get('uncertain', 0):,}",
            f"{c['unlinked']:,}",
            "as in the last run"
            if c.get("status") == "reused"
            else c.get("trained") or c.get("reason", ""),
        )
    out.print(ids)
    dets = Table("detector", "concern", "status", "signals", "note", title="Detectors")
    for name, d in report.get("detectors", {}).items():
        note = d.get("reason") or d.get("carried", "")
        dets.add_row(name, d.get("concern", ""), d["status"], str(d["signals"]), note)
    out.print(dets)
    model = report.get("model") or {}
    if model.get("status") == "ran":
        trained = (
            f"as trained in run {model['taken_from']}, on the same examples"
            if model.get("taken_from")
            else "trained in this run"
        )
        out.print(
            f"early-warning model: {model['scored']:,} scored, {model['signals']} signals ({trained})"
        )
    elif model:
        out.print(f"early-warning model: {model['status']} ({model.get('reason', '')})")
    for purpose, n in report.get("queue", {}).items():
        out.print(f"queue {purpose}: {n} people")
    spilled = {
        stage: s["spilled_bytes"]
        for stage, s in report.get("stages", {}).items()
        if s.get("spilled_bytes")
    }
    for stage, size in spilled.items():
        out.print(
            f"{stage} spilled up to {size / 2**20:,.0f} MiB to disk "
            f"(memory limit {report.get('memory_limit')})"
        )
    alerts = report.get("fairness", {}).get("alerts", [])
    out.print(f"fairness alerts: {len(alerts)}")
    for a in alerts:
        out.print(f"  [yellow]{a}[/]")
    for name, held in report.get("fairness", {}).get("gate", {}).get("held", {}).items():
        out.print(
            f"fairness gate: {held['signals']:,} signals of {name} held out of the queue for a "
            f"governance review ({held['because']})"
        )


@app.command()
def queue(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    purpose: Annotated[Purpose | None, typer.Option(help="one purpose's queue")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="at most N entries")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    reveal: RevealOpt = False,
    reason: ReasonOpt = None,
    actor: ActorOpt = None,
) -> None:
    """The review queue, highest priority first: only the purposes the caller's role serves."""
    from probity.publish.results import QUEUE_COLUMNS, PublishedRun

    _require_reason(reveal, reason)
    wanted = purpose.value if purpose else None
    principal = allow(workspace, actor, "view_queue", wanted)
    purposes = [wanted] if wanted else sorted(principal.purposes)
    for p in purposes:
        if fmt is not ListFormat.table:
            allow(workspace, principal.name, "export", p)
        if reveal:
            allow(workspace, principal.name, "reveal", p)
    try:
        published = PublishedRun.open(workspace)
        rows = [r for r in published.queue(wanted) if r["purpose"] in purposes][:limit]
    except WorkspaceError as e:
        fail(str(e))
    _exported(workspace, principal.name, "queue", rows, fmt.value, published.run_id, wanted)
    _identify(rows, workspace, reveal, reason, principal.name, "cli queue")
    _emit(rows, QUEUE_COLUMNS, fmt.value, f"Review queue (run {published.run_id})")


def _exported(
    workspace: Path,
    actor: str,
    what: str,
    rows: list[dict[str, Any]],
    fmt: str,
    run_id: str,
    purpose: str | None = None,
) -> None:
    """Rows leaving Probity as CSV or JSON are an export, and exports are audited."""
    from probity.governance.audit import AuditLog

    if fmt == "table":
        return
    AuditLog(workspace).append(
        "export",
        actor=actor,
        purpose=purpose,
        details={"what": what, "rows": len(rows), "format": fmt, "run_id": run_id},
    )


def _require_reason(reveal: bool, reason: str | None) -> None:
    if reveal and not (reason and reason.strip()):
        fail("--reveal needs --reason: every reveal is audited with who, whom and why", 2)


def _identify(
    rows: list[dict[str, Any]],
    workspace: Path,
    reveal: bool,
    reason: str | None,
    actor: str | None,
    channel: str,
) -> None:
    """Take the internal key off each row; with --reveal, put the HR id in place of the
    pseudonym, writing one audit event per person revealed."""
    from probity.governance.audit import AuditLog
    from probity.publish.results import reveal as reveal_identity

    audit = AuditLog(workspace)
    for row in rows:
        person_key = row.pop("person_key")
        if reveal:
            row["subject"] = reveal_identity(
                audit, actor, person_key, row["subject"], reason, channel, row.get("purpose")
            )


@app.command()
def report(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    run_id: Annotated[
        str | None, typer.Option("--run", help="a run id (default: the current run)")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.text,
    actor: ActorOpt = None,
) -> None:
    """The report of the current (or a given) run."""
    from probity.publish.workspace import Workspace

    allow(workspace, actor, "view_report")
    ws = Workspace(workspace)
    try:
        data = ws.read_report(run_id or ws.require_current())
    except WorkspaceError as e:
        fail(str(e))
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    else:
        _print_report(data)


@app.command()
def serve(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    actor: Annotated[
        str | None,
        typer.Option(help="serve as this one user, with no log-in (a desktop for one person)"),
    ] = None,
    secure_cookies: Annotated[
        bool,
        typer.Option(help="mark the session cookie Secure (when served behind TLS)", metavar=FLAG),
    ] = False,
    proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="address of a reverse proxy whose X-Forwarded-For is believed (repeat for "
            "more); without one, each client is known by its connection's address"
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="a host name browsers use to reach the app (repeat for more); others are "
            "refused. Default: localhost, 127.0.0.1 and --host"
        ),
    ] = None,
) -> None:
    """The web application and its HTTP API. A workspace with users asks each person to log
    in (`probity users password` sets theirs); `--actor` serves one user without log-in; a
    workspace with no users file is single-user."""
    import uvicorn

    from probity.governance.users import UserDirectory
    from probity.web.app import create_app
    from probity.web.headers import LOCAL_HOSTS

    hosts = allowed_host or [*LOCAL_HOSTS, *([host] if host not in ("0.0.0.0", "::") else [])]
    if not workspace.is_dir():
        # A misspelt path would otherwise become an empty workspace, served as "no run yet".
        fail(
            f"no workspace at {workspace}: `probity run EXPORTS --workspace {workspace}` makes one"
        )
    if actor is None and UserDirectory(workspace).configured():
        principal, who = None, "users who log in"
    else:
        principal = allow(workspace, actor, "view_report")
        who = f"{principal.name} ({principal.role.value})"
    err.print(f"Probity is serving {workspace} at http://{host}:{port}/ for {who}")
    uvicorn.run(
        create_app(workspace, principal, secure_cookies=secure_cookies, allowed_hosts=hosts),
        host=host,
        port=port,
        log_level="warning",
        # The client's address (which the log-in limit counts by) is the connection's, unless
        # a reverse proxy is named: by default uvicorn believes X-Forwarded-For from any
        # local process, which would let a local user pose as any address.
        proxy_headers=bool(proxy),
        forwarded_allow_ips=",".join(proxy or []) or None,
    )


@app.command()
def detectors(
    fmt: Annotated[str, typer.Option("--format", help="table or markdown")] = "table",
) -> None:
    """The detector catalogue, from the registry."""
    from probity.detectors.catalogue import markdown
    from probity.detectors.registry import all_detectors

    if fmt == "markdown":
        sys.stdout.write(markdown())
        return
    table = Table("detector", "concern", "purpose", "inputs", "thresholds", title="Detectors")
    for d in all_detectors():
        thresholds = ", ".join(f"{t.name}={t.default:g}" for t in d.thresholds)
        table.add_row(d.name, d.concern, d.purpose, ", ".join(d.inputs), thresholds)
    out.print(table)


@app.command()
def contract() -> None:
    """The input layout and the output contract, as markdown (the source of docs/contract.md)."""
    from probity.contract.docs import markdown

    sys.stdout.write(markdown())


LINK_COLUMNS = ("task", "record_id", "subject", "probability", "method")


@links_app.callback(invoke_without_command=True)
def links(
    ctx: typer.Context,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    task: Annotated[str | None, typer.Option(help="linkage task, e.g. complaint_subject")] = None,
    min_probability: Annotated[float, typer.Option(min=0, max=1)] = 0.0,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    reveal: RevealOpt = False,
    reason: ReasonOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Links made by the current run for one task: task, record_id, subject, probability, method."""
    if ctx.invoked_subcommand:
        return
    principal = allow(workspace, actor, "review_links")
    if reveal:
        allow(workspace, principal.name, "reveal")
    if fmt is not ListFormat.table:
        allow(workspace, principal.name, "export", "professional_standards")
    from probity.publish.results import PublishedRun
    from probity.resolve.tasks import all_tasks

    names = [t.name for t in all_tasks()]
    if task not in names:
        fail(f"--task is one of: {', '.join(names)}", 2)
    assert task is not None
    _require_reason(reveal, reason)
    try:
        published = PublishedRun.open(workspace)
        rows = published.links(task, min_probability)
    except WorkspaceError as e:
        fail(str(e))
    _exported(workspace, principal.name, f"links {task}", rows, fmt.value, published.run_id)
    _identify(rows, workspace, reveal, reason, principal.name, "cli links")
    _emit(rows, LINK_COLUMNS, fmt.value, f"Links: {task}")


# Columns of free text: wrapped on a terminal; every other column is kept whole.
WRAPPING_COLUMNS = {"reason", "concerns"}


def _emit(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, title: str) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(
            sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "json":
        sys.stdout.write(
            json.dumps([{k: r[k] for k in columns} for r in rows], indent=2, default=str) + "\n"
        )
    elif not sys.stdout.isatty():
        # Piped or redirected: one line a row, tab separated, nothing cut to a terminal's width.
        def cell(value: Any) -> str:
            return " ".join(str(value).split())

        sys.stdout.write("\t".join(columns) + "\n")
        sys.stdout.writelines("\t".join(cell(r[k]) for k in columns) + "\n" for r in rows)
    else:
        # On a terminal, the free text wraps and the short values (pseudonyms above all) never do.
        table = Table(title=title, expand=True)
        for k in columns:
            if k in WRAPPING_COLUMNS:
                table.add_column(k, overflow="fold", ratio=3 if k == "reason" else 1)
            else:
                table.add_column(k, no_wrap=True)
        for r in rows:
            table.add_row(*(str(r[k]) for k in columns))
        out.print(table)


@links_app.command("review")
def links_review(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    reason: Annotated[
        str, typer.Option(help="why you are reviewing (identities are shown, and audited)")
    ] = "",
    task: Annotated[str | None, typer.Option(help="only this task")] = None,
    actor: ActorOpt = None,
) -> None:
    """Work through the uncertain links: confirm one candidate, reject them all, or skip.

    Judgements are kept in the workspace, apply from the next run on, and win over the model.
    """
    from probity.governance.audit import AuditLog
    from probity.publish.results import PublishedRun
    from probity.resolve.judgements import JudgementStore

    principal = allow(workspace, actor, "review_links")
    if not reason.strip():
        fail("review shows identities: give --reason (it is audited)", 2)
    try:
        candidates = PublishedRun.open(workspace).link_candidates(task)
    except WorkspaceError as e:
        fail(str(e))
    who = principal.name
    AuditLog(workspace).append(
        "clerical_review",
        actor=who,
        reason=reason,
        details={"task": task, "candidates": len(candidates)},
    )
    store = JudgementStore(workspace)
    judged = {(j.task, j.record_id) for j in store.latest()}
    records: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in candidates:
        if (c["task"], c["record_id"]) not in judged:
            records.setdefault((c["task"], c["record_id"]), []).append(c)
    out.print(f"{len(records)} records to review")
    decided = 0
    for (task_name, record_id), options in records.items():
        out.print(f"\n[bold]{task_name}[/] record {record_id}: {options[0]['record_description']}")
        for i, o in enumerate(options, start=1):
            out.print(f"  {i}. p={o['probability']:.3f}  {o['person_description']}")
        try:
            answer = (
                typer.prompt(
                    "number to confirm, n = none of these, s = skip, q = quit", default="s"
                )
                .strip()
                .lower()
            )
        except (typer.Abort, EOFError):
            # The input ended (or Ctrl-D): stop as if asked to quit, keeping what was judged.
            out.print()
            answer = "q"
        if answer == "q":
            break
        if answer == "s":
            continue
        if answer == "n":
            for o in options:
                store.record(task_name, record_id, o["person_key"], "reject", who, reason)
        elif answer.isdigit() and 1 <= int(answer) <= len(options):
            chosen = options[int(answer) - 1]
            store.record(task_name, record_id, chosen["person_key"], "confirm", who, reason)
        else:
            out.print("not understood; skipped")
            continue
        decided += 1
    out.print(f"{decided} judgements recorded; they apply from the next run")


cli_governance.register(app)
