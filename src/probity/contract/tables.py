"""The input layout of `spec/source-exports.md` (version 1), written down as data.

Ingest, the synthetic force and the tests all read these definitions, so the contract is
stated once. Types are logical: each engine maps them onto its own (see `ingest.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "date", "timestamp", "integer", "money", "number", "boolean", "list"]

# Vocabularies shared by several tables.
ETHNICITIES = ("Asian", "Black", "Mixed", "White", "Other", "Not stated")
ALLEGATIONS = (
    "use_of_force",
    "discriminatory_behaviour",
    "abuse_of_position_sexual",
    "improper_disclosure",
    "delivery_of_duties",
    "individual_behaviour",
    "sexual_conduct",
    "corruption",
    "other",
)
RECORD_FLAGS = ("victim", "suspect", "witness", "vulnerable", "high_profile", "ocg_nominal")
VETTING_LEVELS = ("RV", "MV", "NPPV1", "NPPV2", "NPPV3", "SC", "DV")
# Conduct outcomes that find misconduct proved (reflective practice is for practice that needs
# improving, and a resignation ends a case without a finding).
SUBSTANTIATED_OUTCOMES = (
    "management_action",
    "written_warning",
    "final_written_warning",
    "dismissal",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "string"
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    # Protected characteristics are read only by the fairness audit, never by a detector.
    protected: bool = False
    # Health data (a special category): shown only to the welfare purpose.
    health: bool = False
    # For an optional column: what works less well, or not at all, when an export lacks it
    # (named in the run report and by `probity run`).
    feeds: str = ""


@dataclass(frozen=True)
class Reference:
    """A column whose values must exist in another table.

    `person` references accept an HR person id or, as real exports do on some rows, the
    officer's warrant number; resolution maps either onto the person later.
    """

    column: str
    table: str
    target: str
    person: bool = False
    # Only rows matching this SQL predicate are checked (e.g. look-ups of people only).
    when: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = field(default_factory=tuple)
    required: bool = False
    # Data-protection regime the table is processed under.
    regime: str = "UK GDPR (employment)"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _person(column: str = "person_id") -> Reference:
    return Reference(column, "people", "person_id", person=True)


C = Column
DUTY_TYPES = (
    "early",
    "late",
    "night",
    "day",
    "rest_day",
    "annual_leave",
    "sick",
    "training",
    "court",
    "other",
)
# Duty types on which a person is at work (the others are rest, leave and sickness).
WORKING_DUTY_TYPES = ("early", "late", "night", "day", "training", "court", "other")
DPA_PART3 = "DPA 2018 Part 3 (law enforcement) where a criminal purpose applies; else UK GDPR"

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "people",
        (
            C("person_id", required=True),
            C(
                "warrant_number",
                feeds="complaint subjects and references written with a warrant number are not linked",
            ),
            C(
                "surname",
                feeds="complaints, company-register officers and accounts are linked without surnames",
            ),
            C(
                "forenames",
                feeds="complaints, company-register officers and accounts are linked without forenames",
            ),
            C(
                "date_of_birth",
                "date",
                feeds="look-ups of relatives and company-register officers are matched without dates of birth",
            ),
            C(
                "sex",
                vocabulary=("F", "M", "X"),
                protected=True,
                feeds="the fairness audit cannot compare by sex",
            ),
            C(
                "ethnicity",
                vocabulary=ETHNICITIES,
                protected=True,
                feeds="the fairness audit cannot compare by ethnicity",
            ),
            C(
                "staff_type",
                vocabulary=("officer", "staff", "pcso", "special"),
                feeds="peer groups do not separate officers from staff",
            ),
            C("rank", feeds="peer groups do not separate ranks"),
            C("role", feeds="peer groups do not separate roles"),
            C("unit_code", feeds="peer groups and unit views have no unit"),
            C("line_manager_id", feeds="the case file shows no line manager"),
            C("start_date", "date"),
            C("leave_date", "date"),
            C(
                "home_postcode",
                feeds="look-ups of neighbours and company-register officers are matched without postcodes",
            ),
            C("home_address"),
        ),
        key=("person_id",),
        required=True,
    ),
    TableSpec(
        "units",
        (
            C("unit_code", required=True),
            C("name"),
            C("command"),
            C("parent_code"),
            C(
                "kind",
                vocabulary=(
                    "response",
                    "neighbourhood",
                    "investigation",
                    "public_order",
                    "custody",
                    "intelligence",
                    "support",
                    "professional_standards",
                ),
                feeds="peer groups do not separate kinds of unit",
            ),
            C(
                "required_vetting",
                vocabulary=VETTING_LEVELS,
                feeds="postings above the vetting held cannot be found",
            ),
        ),
        key=("unit_code",),
    ),
    TableSpec(
        "postings",
        (
            C("person_id", required=True),
            C("unit_code", required=True),
            C("role"),
            C("start_date", "date", required=True),
            C("end_date", "date"),
        ),
        references=(_person(), Reference("unit_code", "units", "unit_code")),
    ),
    TableSpec(
        "next_of_kin",
        (
            C("person_id", required=True),
            C("surname"),
            C("forenames"),
            C(
                "relationship",
                vocabulary=(
                    "spouse",
                    "partner",
                    "ex_partner",
                    "parent",
                    "child",
                    "sibling",
                    "other",
                ),
            ),
            C("date_of_birth", "date"),
            C("postcode"),
        ),
        references=(_person(),),
    ),
    TableSpec(
        "roster",
        (
            C("person_id", required=True),
            C("duty_date", "date", required=True),
            C("duty_type", required=True, vocabulary=DUTY_TYPES),
            C(
                "shift_start",
                "timestamp",
                feeds="look-ups and overtime are compared with the roster by day, not by shift time",
            ),
            C(
                "shift_end",
                "timestamp",
                feeds="look-ups and overtime are compared with the roster by day, not by shift time",
            ),
            C("unit_code"),
        ),
        key=("person_id", "duty_date"),
        references=(_person(),),
    ),
    TableSpec(
        "absences",
        (
            C("person_id", required=True),
            C(
                "absence_type",
                required=True,
                vocabulary=(
                    "sickness",
                    "annual_leave",
                    "special_leave",
                    "suspension",
                    "restricted_duty",
                    "parental",
                ),
            ),
            C("start_date", "date", required=True),
            C("end_date", "date"),
            C("reason_category", health=True),
        ),
        references=(_person(),),
    ),
    TableSpec(
        "overtime_claims",
        (
            C("claim_id", required=True),
            C("person_id", required=True),
            C("work_date", "date", required=True),
            C("start_time", "timestamp", feeds="overtime is corroborated by day, not by time"),
            C("end_time", "timestamp", feeds="overtime is corroborated by day, not by time"),
            C(
                "hours",
                "number",
                feeds="sustained hours and overtime corroboration count claims, not hours",
            ),
            C(
                "reason_code",
                vocabulary=("operation", "late_turn_out", "court", "event", "cover", "other"),
            ),
            C("operation_ref"),
            C("authorised_by"),
            C("amount_gbp", "money"),
            C("submitted_date", "date"),
        ),
        key=("claim_id",),
        references=(_person(),),
    ),
    TableSpec(
        "expense_claims",
        (
            C("claim_id", required=True),
            C("person_id", required=True),
            C("claim_date", "date", required=True),
            C(
                "category",
                vocabulary=("travel", "subsistence", "accommodation", "equipment", "other"),
            ),
            C("amount_gbp", "money", feeds="expense detectors have no amounts"),
            C("description"),
            C("authorised_by"),
        ),
        key=("claim_id",),
        references=(_person(),),
    ),
    TableSpec(
        "building_access",
        (
            C("event_time", "timestamp", required=True),
            C("person_id", required=True),
            C("site_code"),
            C("direction", vocabulary=("in", "out")),
        ),
        references=(_person(),),
    ),
    TableSpec(
        "complaints",
        (
            C("complaint_id", required=True),
            C("received_date", "date"),
            C("incident_date", "date"),
            C(
                "subject_warrant_number",
                feeds="complaints are linked to their subject by name alone",
            ),
            C(
                "subject_name_as_recorded",
                feeds="complaints are linked to their subject by warrant number alone",
            ),
            C("subject_unit_as_recorded"),
            C(
                "allegation_category",
                vocabulary=ALLEGATIONS,
                feeds="complaint themes cannot be told apart",
            ),
            C("complainant_type", vocabulary=("public", "colleague", "anonymous")),
            C(
                "outcome",
                vocabulary=("upheld", "not_upheld", "withdrawn", "service_level", "pending"),
            ),
            C("closed_date", "date"),
        ),
        key=("complaint_id",),
    ),
    TableSpec(
        "conduct_cases",
        (
            C("case_id", required=True),
            C("person_id", required=True),
            C("opened_date", "date"),
            C("closed_date", "date"),
            C(
                "allegation_category",
                vocabulary=ALLEGATIONS,
                feeds="conduct themes cannot be told apart",
            ),
            C("origin", vocabulary=("complaint", "internal_report", "proactive")),
            C("severity", vocabulary=("misconduct", "gross_misconduct")),
            C(
                "outcome",
                vocabulary=(
                    "no_case_to_answer",
                    "reflective_practice",
                    "management_action",
                    "written_warning",
                    "final_written_warning",
                    "dismissal",
                    "resigned_or_retired",
                    "pending",
                ),
            ),
            C("suspended", "boolean"),
            C("linked_complaint_id"),
        ),
        key=("case_id",),
        references=(_person(),),
    ),
    TableSpec(
        "vetting",
        (
            C("person_id", required=True),
            C(
                "vetting_level",
                vocabulary=VETTING_LEVELS,
                feeds="postings above the vetting held cannot be found",
            ),
            C("granted_date", "date"),
            C("expiry_date", "date"),
            C("status", vocabulary=("active", "lapsed", "withdrawn", "under_review")),
        ),
        references=(_person(),),
    ),
    TableSpec(
        "declarations",
        (
            C("declaration_id", required=True),
            C("person_id", required=True),
            C(
                "kind",
                vocabulary=(
                    "business_interest",
                    "secondary_employment",
                    "notifiable_association",
                    "gift_hospitality",
                    "financial_difficulty",
                ),
            ),
            C("counterpart_name"),
            C("counterpart_date_of_birth", "date"),
            C("counterpart_postcode"),
            C("company_number"),
            C("details"),
            C("declared_date", "date"),
            C("decision", vocabulary=("approved", "refused", "pending")),
            C("end_date", "date"),
        ),
        key=("declaration_id",),
        references=(_person(),),
    ),
    TableSpec(
        "training",
        (
            C("person_id", required=True),
            C("course"),
            C("completed_date", "date"),
            C("expiry_date", "date"),
        ),
        references=(_person(),),
    ),
    TableSpec(
        "system_accounts",
        (
            C("account_id", required=True),
            C("system"),
            C(
                "person_id",
                feeds="every account is linked to its owner by name and behaviour alone",
            ),
            C("display_name", feeds="accounts with no person id are linked by behaviour alone"),
            C("created_date", "date"),
            C("disabled_date", "date"),
        ),
        key=("account_id",),
        references=(_person(),),
    ),
    TableSpec(
        "record_subjects",
        (
            C("subject_id", required=True),
            C("surname"),
            C("forenames"),
            C("date_of_birth", "date"),
            C("postcode"),
            C(
                "flags",
                "list",
                vocabulary=RECORD_FLAGS,
                feeds="look-ups of victims, high-profile records and nominals cannot be found",
            ),
        ),
        key=("subject_id",),
        regime=DPA_PART3,
    ),
    TableSpec(
        "access_log",
        (
            C("event_time", "timestamp", required=True),
            C("account_id", required=True),
            C("system"),
            C("action", vocabulary=("search", "view", "print", "export", "update")),
            C(
                "subject_kind",
                vocabulary=("person", "vehicle", "address", "crime_report", "intel_report"),
                feeds="look-ups of people cannot be told from others",
            ),
            C("subject_id", feeds="look-ups cannot be tied to the record looked up"),
            C("justification", feeds="look-ups without a stated purpose cannot be found"),
            C("linked_reference", feeds="look-ups cannot be explained by an incident or case"),
            C("terminal_id", feeds="accounts with no person id are linked without terminals"),
        ),
        references=(
            Reference("account_id", "system_accounts", "account_id"),
            Reference(
                "subject_id", "record_subjects", "subject_id", when="subject_kind = 'person'"
            ),
        ),
        regime=DPA_PART3,
    ),
    TableSpec(
        "incidents",
        (
            C("incident_ref", required=True),
            C("opened_time", "timestamp"),
            C("closed_time", "timestamp"),
            C("category"),
            C(
                "grade",
                vocabulary=("immediate", "priority", "scheduled", "resolved_without_deployment"),
            ),
            C("postcode"),
            C("unit_code"),
        ),
        key=("incident_ref",),
        regime=DPA_PART3,
    ),
    TableSpec(
        "incident_attendance",
        (
            C("incident_ref", required=True),
            C("person_id", required=True),
            C("attendance_role", vocabulary=("attending", "oic", "supervisor")),
            C("arrived_time", "timestamp"),
        ),
        references=(Reference("incident_ref", "incidents", "incident_ref"), _person()),
        regime=DPA_PART3,
    ),
    TableSpec(
        "incident_subjects",
        (
            C("incident_ref", required=True),
            C("subject_id", required=True),
            C("subject_role", vocabulary=("victim", "suspect", "witness", "reporting_person")),
        ),
        references=(
            Reference("incident_ref", "incidents", "incident_ref"),
            Reference("subject_id", "record_subjects", "subject_id"),
        ),
        regime=DPA_PART3,
    ),
    TableSpec(
        "stop_search",
        (
            C("event_id", required=True),
            C("event_time", "timestamp"),
            C("person_id", required=True),
            # The subject's ethnicity is part of the use-of-powers record, not the officer's.
            C("subject_ethnicity", vocabulary=ETHNICITIES),
            C("subject_age_band"),
            C("legislation", vocabulary=("PACE_s1", "MDA_s23", "CJPOA_s60", "other")),
            C("object_of_search"),
            C(
                "outcome",
                vocabulary=(
                    "nfa",
                    "arrest",
                    "community_resolution",
                    "penalty_notice",
                    "cannabis_warning",
                    "other",
                ),
            ),
            C("postcode"),
        ),
        key=("event_id",),
        references=(_person(),),
        regime=DPA_PART3,
    ),
    TableSpec(
        "use_of_force",
        (
            C("event_id", required=True),
            C("event_time", "timestamp"),
            C("person_id", required=True),
            C("incident_ref"),
            C("subject_ethnicity", vocabulary=ETHNICITIES),
            C(
                "tactic",
                vocabulary=(
                    "handcuffing_compliant",
                    "handcuffing_non_compliant",
                    "unarmed_skills",
                    "baton",
                    "irritant_spray",
                    "taser_drawn",
                    "taser_fired",
                    "limb_restraints",
                    "spit_guard",
                    "other",
                ),
            ),
            C("subject_injured", "boolean"),
            C("officer_injured", "boolean"),
        ),
        key=("event_id",),
        references=(_person(),),
        regime=DPA_PART3,
    ),
    TableSpec(
        "company_officers",
        (
            C("company_number", required=True),
            C("company_name"),
            C("company_status"),
            C("officer_name"),
            C("officer_role", vocabulary=("director", "secretary", "psc")),
            C("birth_month", "integer"),
            C("birth_year", "integer"),
            C("postcode"),
            C("appointed_date", "date"),
            C("resigned_date", "date"),
        ),
        regime="UK GDPR (public register data)",
    ),
)

# What each table is, as `docs/contract.md` says it.
ABOUT: dict[str, str] = {
    "people": "HR master, one row per person who has worked for the force in the period. "
    "`person_id` is the HR employee number (e.g. `E0412337`); `warrant_number` is for officers "
    "only; `rank` is a staff band for staff; `role` is free text (e.g. `Response`, `CID`, "
    "`Call handler`).",
    "units": "The force's units, with the command (e.g. a basic command unit) each belongs to "
    "and the vetting a posting there requires.",
    "postings": "Who was posted where, in which role, when (`end_date` null while current).",
    "next_of_kin": "Next of kin as HR holds them.",
    "roster": "One row per person per rostered day; `shift_start` and `shift_end` are null "
    "when not working.",
    "absences": "Absence spells; `reason_category` (sickness only) is health data, a special "
    "category shown only to the welfare purpose.",
    "overtime_claims": "Overtime claimed, with who authorised it.",
    "expense_claims": "Expenses claimed, with who authorised them.",
    "building_access": "Badge events at force sites.",
    "complaints": "Complaints about staff, as recorded: the subject is identified as the "
    "complainant described them (warrant number may be null or wrong; name as recorded, e.g. "
    "`PC J Smyth`).",
    "conduct_cases": "Conduct cases and their outcomes.",
    "vetting": "Vetting clearances held.",
    "declarations": "Declared business interests, secondary employment, associations, gifts "
    "and financial difficulty.",
    "training": "Courses completed.",
    "system_accounts": "Log-ins to police systems (e.g. `SMYTHJ04`); `person_id` is null for "
    "some legacy accounts.",
    "record_subjects": "People held on police records, the subjects of look-ups; `flags` is a "
    "`;` list.",
    "access_log": "The audit trail of look-ups in police systems: the largest table by far "
    "(hundreds of millions of rows for a large force, so usually Parquet). `justification` is "
    "free text, often empty; `linked_reference` an incident or crime reference, often empty.",
    "incidents": "Incidents, with where and by which unit they were dealt with.",
    "incident_attendance": "Who attended which incident, in what role.",
    "incident_subjects": "Record subjects involved in an incident.",
    "stop_search": "Stops and searches, by the searching officer; the ethnicity is that of "
    "the person searched.",
    "use_of_force": "Uses of force, by the officer who used it.",
    "company_officers": "A public register of company officers (the shape of Companies House "
    "bulk data): `officer_name` as `SURNAME, Forenames`.",
}

_BY_NAME = {t.name: t for t in TABLES}


def table_spec(name: str) -> TableSpec:
    return _BY_NAME[name]


def vocabulary(table: str, column: str, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A column's allowed values, in the contract's order."""
    values = table_spec(table).column(column).vocabulary or ()
    return tuple(v for v in values if v not in leave_out)
