"""Governance commands: the audit log, users and roles, decisions, retention, transparency."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from probity.cli_common import (
    DEFAULT_WORKSPACE,
    ActorOpt,
    CallerOpt,
    PolicyOpt,
    Purpose,
    WorkspaceOpt,
    allow,
    caller,
    fail,
    out,
)
from probity.publish.workspace import WorkspaceError

audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained audit log.")
users_app = typer.Typer(no_args_is_help=True, help="The workspace's users and their roles.")
retention_app = typer.Typer(no_args_is_help=True, help="Remove what nobody acted on.")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.add_typer(users_app, name="users")
    app.add_typer(retention_app, name="retention")
    app.command()(decide)
    app.command()(transparency)


@audit_app.command("verify")
def audit_verify(workspace: WorkspaceOpt = DEFAULT_WORKSPACE, actor: ActorOpt = None) -> None:
    """Prove the audit log whole and matching the checkpoints exported outside the workspace,
    or name the first entry missing or changed."""
    from probity.governance.audit import AuditLog

    allow(workspace, actor, "view_audit")
    log = AuditLog(workspace)
    result = log.verify()
    if not result.ok:
        fail(f"audit log broken at entry {result.first_broken}: {result.problem}")
    out.print(f"audit log intact: {result.entries} entries")
    if result.checkpoint is None:
        out.print(
            f"[yellow]no exported checkpoint found in {log.checkpoints.path}[/]: only the chain was checked"
        )
    else:
        seq, at = result.checkpoint
        out.print(
            f"matches the checkpoints in {log.checkpoints.path} (the last: entry {seq}, {at})"
        )


@audit_app.command("log")
def audit_log(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    by: Annotated[str | None, typer.Option("--actor", help="only events by this user")] = None,
    subject: Annotated[
        str | None, typer.Option(help="only events about this person (HR id or pseudonym)")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="only events at or after this date or time (ISO 8601)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    caller: CallerOpt = None,
) -> None:
    """Who looked at whom: audit events, optionally by one user, about one person (HR id or
    pseudonym), or since a date; people are shown by pseudonym. The query itself is audited."""
    from probity.governance.audit import AuditLog, matching, pseudonymous, shown_as
    from probity.governance.pseudonyms import workspace_key

    principal = allow(workspace, caller, "view_audit")
    log = AuditLog(workspace)
    key = workspace_key(workspace)
    try:
        entries = matching(log.entries(), actor=by, subject=subject, since=since, key=key)
    except ValueError as e:
        fail(str(e), 2)
    asked = shown_as(key, subject)
    log.append(
        "audit_query",
        actor=principal.name,
        details={"actor": by, "subject": asked, "since": since, "results": len(entries)},
    )
    entries = pseudonymous(entries, key)
    if fmt == "json":
        sys.stdout.write(json.dumps(entries, indent=2) + "\n")
        return
    fields = ["seq", "at", "actor", "action", "subject", "purpose", "reason"]
    writer = csv.DictWriter(
        sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(entries)


@users_app.command("set")
def users_set(
    name: Annotated[str, typer.Argument(help="the user's login name")],
    role: Annotated[
        str,
        typer.Option(
            help="psd_analyst, psd_investigator, welfare_officer, auditor or administrator"
        ),
    ],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    actor: ActorOpt = None,
) -> None:
    """Give a user a role (an administrator's action, audited). The first user set ends
    single-user mode: set yourself as administrator first."""
    from probity.governance.access import Role
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory

    if role not in {r.value for r in Role} - {Role.single_user.value}:
        fail(f"unknown role {role!r}", 2)
    principal = allow(workspace, actor, "configure")
    UserDirectory(workspace).set_role(name, Role(role))
    AuditLog(workspace).append(
        "configure", actor=principal.name, details={"user": name, "role": role}
    )
    out.print(f"{name}: {role}")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="the user's login name")],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    actor: ActorOpt = None,
) -> None:
    """Take a user's access away (audited)."""
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory

    principal = allow(workspace, actor, "configure")
    UserDirectory(workspace).set_role(name, None)
    AuditLog(workspace).append(
        "configure", actor=principal.name, details={"user": name, "role": None}
    )


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="the user's login name")],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    actor: ActorOpt = None,
) -> None:
    """Set a user's password for the web application (their own, or anyone's for an
    administrator). Asked for twice at a terminal; read from standard input otherwise. Only an
    argon2 hash is kept; the audit log records that it changed."""
    from probity.governance.audit import AuditLog
    from probity.governance.passwords import WeakPassword, hash_password
    from probity.governance.users import UserDirectory

    who = caller(workspace, actor, "configure")
    principal = allow(workspace, who, "view_report") if who == name else None
    principal = principal or allow(workspace, actor, "configure")
    if sys.stdin.isatty():
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    directory = UserDirectory(workspace)
    if name not in directory.read().users:
        fail(f"{name} is not a user of this workspace: `probity users set` first", 2)
    try:
        directory.set_password_hash(name, hash_password(password))
    except WeakPassword as e:
        fail(str(e), 2)
    AuditLog(workspace).append(
        "configure", actor=principal.name, details={"user": name, "password": "changed"}
    )
    out.print(f"{name}: password set")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="the user the token lets a command act as")],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    actor: ActorOpt = None,
) -> None:
    """A token that lets commands run by another OS account act as NAME (set it as
    $PROBITY_ACTOR_TOKEN, with --actor NAME): for a service account running the nightly job.
    Valid for 90 days; issuing one is audited with its id."""
    from probity.governance.actors import issue_token
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory

    principal = allow(workspace, actor, "configure")
    if name not in UserDirectory(workspace).read().users:
        fail(f"{name} is not a user of this workspace: `probity users set` first", 2)
    token, token_id = issue_token(workspace, name)
    AuditLog(workspace).append(
        "configure", actor=principal.name, details={"user": name, "token_issued": token_id}
    )
    sys.stdout.write(token + "\n")


@users_app.command("list")
def users_list(workspace: WorkspaceOpt = DEFAULT_WORKSPACE, actor: ActorOpt = None) -> None:
    """Users and roles."""
    from probity.governance.users import UserDirectory

    allow(workspace, actor, "configure")
    directory = UserDirectory(workspace)
    if not directory.configured():
        out.print("no users file: single-user mode (every action allowed, all audited)")
    for name, entry in sorted(directory.read().users.items()):
        out.print(f"{name}\t{entry.role.value}")


def decide(
    subject: Annotated[str, typer.Argument(help="the person's pseudonym, as in the queue")],
    purpose: Annotated[Purpose, typer.Option(help="the purpose the review served")],
    outcome: Annotated[
        str,
        typer.Option(
            help="professional standards: no_further_action, management_advice, "
            "refer_professional_standards or refer_welfare; welfare: no_further_action, "
            "wellbeing_conversation, occupational_health_referral or refer_professional_standards"
        ),
    ],
    reason: Annotated[str, typer.Option(help="why, in a sentence (kept, and audited)")],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    actor: ActorOpt = None,
) -> None:
    """Record a review decision about a queue entry: people decide, Probity records."""
    from probity.casework.feedback import under_review
    from probity.casework.store import CaseStore
    from probity.governance.audit import AuditLog
    from probity.publish.results import PublishedRun

    principal = allow(workspace, actor, "decide", purpose.value)
    try:
        run = PublishedRun.open(workspace)
        person = run.person(subject)
    except WorkspaceError as e:
        fail(str(e))
    if person is None:
        fail(f"no person {subject!r} in the current run", 2)
    if not any(q["purpose"] == purpose.value for q in person["queue"]):
        AuditLog(workspace).append(
            "denied",
            actor=principal.name,
            subject=person["person_key"],
            purpose=purpose.value,
            details={"attempted": "decide", "pseudonym": subject, "channel": "cli"},
        )
        fail(f"{subject} is not in the {purpose.value} queue: there is nothing to decide", 3)
    try:
        CaseStore(workspace).record(
            person["person_key"],
            purpose.value,
            outcome,
            reason,
            principal.name,
            run.run_id,
            under_review(person["signals"], purpose.value),
        )
    except ValueError as e:
        fail(str(e), 2)
    out.print(f"{subject}: {outcome} ({purpose.value}) recorded")


@retention_app.command("apply")
def retention_apply(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    policy: PolicyOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Remove signals nobody acted on, and no-further-action decisions, past their periods."""
    from probity.governance.retention import apply_retention
    from probity.policy import POLICY_FILE, load_policy

    principal = allow(workspace, actor, "apply_retention")
    rules = load_policy(policy or workspace / POLICY_FILE).retention
    try:
        result = apply_retention(
            workspace,
            signal_days=rules.signal_days,
            no_further_action_days=rules.no_further_action_days,
            actor=principal.name,
        )
    except WorkspaceError as e:
        fail(str(e))
    out.print(
        f"removed {result.signals_removed} signals ({result.evidence_removed} evidence rows, "
        f"{result.queue_entries_removed} queue entries) across {result.runs} runs, and "
        f"{result.decisions_removed} no-further-action decisions "
        f"({result.history_rows_removed} rows of kept runs' review history)"
    )


def transparency(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    fmt: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
    policy: PolicyOpt = None,
    actor: ActorOpt = None,
) -> None:
    """The algorithmic transparency record (UK ATRS, tiers 1 and 2) and model card, from the
    policy, the data contract and the current run's measured figures."""
    from probity.governance import transparency as atrs
    from probity.policy import POLICY_FILE, load_policy
    from probity.publish.workspace import Workspace

    allow(workspace, actor, "view_transparency")
    ws = Workspace(workspace)
    try:
        run_id = ws.require_current()
    except WorkspaceError as e:
        fail(str(e))
    evaluation_file = ws.run_dir(run_id) / "evaluation.json"
    evaluation = json.loads(evaluation_file.read_text()) if evaluation_file.exists() else None
    rec = atrs.record(
        load_policy(policy or workspace / POLICY_FILE), ws.read_report(run_id), evaluation
    )
    if fmt == "json":
        sys.stdout.write(json.dumps(rec, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(atrs.markdown(rec))


@audit_app.command("watch")
def audit_watch(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    caller: CallerOpt = None,
) -> None:
    """Watching the watchers: users who opened people in none of their queues without a case
    reference, those who did with one (listed apart), and those who viewed far more people than
    others in their role."""
    from probity.governance.access import Principal
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory
    from probity.governance.watch import watch
    from probity.publish.results import PublishedRun

    principal = allow(workspace, caller, "view_audit")
    directory = UserDirectory(workspace)
    principals = {
        name: Principal(name, entry.role) for name, entry in directory.read().users.items()
    }
    try:
        queued = {
            (str(r["person_key"]), str(r["purpose"])) for r in PublishedRun.open(workspace).queue()
        }
    except WorkspaceError:
        queued = set()
    log = AuditLog(workspace)
    findings = watch(log.entries(), principals, queued)
    log.append("audit_watch", actor=principal.name, details={"findings": len(findings)})
    if fmt == "json":
        sys.stdout.write(json.dumps(findings, indent=2) + "\n")
        return
    table = Table("actor", "role", "finding", "people", title="Watching the watchers")
    for f in findings:
        table.add_row(f["actor"], f["role"] or "?", f["finding"], str(f["people"]))
    out.print(table)
