"""Where Rastro keeps a person's data: one declaration read by export, erasure and retention.

Tables are listed in the order their rows are found: a table's condition may use the id arrays that the
tables before it provide. A new personal column is declared here, once, with how erasure treats it.
"""

import enum
from dataclasses import dataclass, field


class Erase(enum.Enum):
    """What erasure does to a personal column."""

    NULL = "set to NULL"
    SCRUB = "the person's values inside it replaced by a placeholder (JSON and free text)"
    PLACEHOLDER = "replaced by a fixed placeholder, unique per row (the column is NOT NULL UNIQUE)"
    DERIVED = "computed by PostgreSQL from another column of the row, erased with it"
    KEPT = "kept: not the subject's data (see the column's note)"


@dataclass(frozen=True)
class Personal:
    erase: Erase
    # What NULL and PLACEHOLDER columns become: SQL on the row (alias t).
    value: str = "NULL"
    # A tracking column anonymized by `rastro retention` after RASTRO_RETENTION_MONTHS.
    retained: bool = False
    note: str = ""


@dataclass(frozen=True)
class PersonalTable:
    name: str
    key: str  # primary key: orders the export, addresses erasure
    rows: str  # SQL condition on the table (alias t) picking the subject's rows, on earlier id arrays
    columns: dict[str, Personal] = field(default_factory=dict)
    # Arrays this table gives the tables after it (merged into any of the same name): name -> SQL on t.
    provides: dict[str, str] = field(default_factory=dict)
    # The column whose age `rastro retention` measures, for columns marked retained.
    since: str = "created_at"


NULL = Personal(Erase.NULL)
SCRUB = Personal(Erase.SCRUB)
TRACKING = Personal(Erase.NULL, retained=True)

EMAIL_HASH_MATCH = "t.hashed_email = ANY(:email_hashes)"
PHONE_DIGITS_MATCH = "regexp_replace(t.phone, '\\D', '', 'g') = ANY(:phone_digits)"
BY_TRANSACTION = "t.transaction_id = ANY(:transaction_ids)"
BY_SESSION = "t.session_id = ANY(:session_ids)"
BY_CONVERSION = "t.conversion_id = ANY(:conversion_ids)"
BY_LEAD = "t.lead_id = ANY(:lead_ids)"
BY_CUSTOMER = "t.customer_id = ANY(:customer_ids)"
# What leads and customers tell about the person: their names (commissions) and e-mails (raw webhooks).
PEOPLE = {"names": "lower(trim(t.name))", "emails": "lower(trim(t.email))"}

PERSONAL_TABLES: tuple[PersonalTable, ...] = (
    PersonalTable(
        "customers",
        "id",
        f"{EMAIL_HASH_MATCH} OR {PHONE_DIGITS_MATCH} OR t.document = ANY(:documents)",
        {
            "name": NULL,
            "email": Personal(Erase.PLACEHOLDER, "'erased-' || t.id || '@erased.invalid'"),
            "hashed_email": Personal(Erase.DERIVED, note="rastro_email_hash(email)"),
            "phone": NULL,
            "document": NULL,
            "document_type": NULL,
            "document_valid": NULL,
        },
        {"customer_ids": "t.id", **PEOPLE},
    ),
    PersonalTable(
        "leads",
        "lead_id",
        # Every writer of leads (capture, updateLead, the seeds) stores both hashes: their indexes find them.
        f"{EMAIL_HASH_MATCH} OR t.hashed_phone = ANY(:phone_hashes)",
        {
            "name": NULL,
            "email": NULL,
            "hashed_email": NULL,
            "phone": NULL,
            "hashed_phone": NULL,
            "email_domain": NULL,
            "metadata": SCRUB,
        },
        {"lead_ids": "t.lead_id", "lead_session_ids": "t.session_id", **PEOPLE},
    ),
    PersonalTable(
        "lead_stages",
        "stage_id",
        BY_LEAD,
        {
            "changed_by": Personal(
                Erase.KEPT, note="the sales rep's e-mail who moved the lead, not the lead's"
            ),
            "reason": SCRUB,
        },
    ),
    PersonalTable("offline_conversions", "conversion_id", BY_LEAD, {}, {"conversion_ids": "t.conversion_id"}),
    PersonalTable("conversion_outbox", "id", BY_CONVERSION, {"payload": SCRUB, "last_error": SCRUB}),
    PersonalTable(
        "platform_sync_log", "sync_id", BY_CONVERSION, {"request_payload": SCRUB, "response_data": SCRUB}
    ),
    PersonalTable("conversion_adjustments", "id", BY_CONVERSION),
    PersonalTable(
        "integrations_log",
        "log_id",
        BY_LEAD,
        {"request_data": SCRUB, "response_data": SCRUB, "error_message": SCRUB},
    ),
    PersonalTable(
        "visitor_journeys",
        "journey_id",
        "(t.visitor_id, t.domain_id) IN "
        "(SELECT visitor_id, domain_id FROM sessions WHERE session_id = ANY(:lead_session_ids))",
    ),
    PersonalTable(
        "sessions",
        "session_id",
        "(t.visitor_id, t.domain_id) IN "
        "(SELECT visitor_id, domain_id FROM sessions WHERE session_id = ANY(:lead_session_ids))",
        {},
        {"session_ids": "t.session_id"},
    ),
    PersonalTable(
        "utm_tracking",
        "tracking_id",
        BY_SESSION,
        {"client_ip": TRACKING, "user_agent": TRACKING, "url_params": SCRUB},
    ),
    PersonalTable("page_views", "view_id", BY_SESSION),
    PersonalTable("events", "event_id", BY_SESSION, {"event_data": SCRUB}),
    PersonalTable("subscriptions", "id", BY_CUSTOMER),
    PersonalTable(
        "transactions", "id", "t.customer_id = ANY(:customer_ids)", {}, {"transaction_ids": "t.id"}
    ),
    PersonalTable("transaction_items", "id", BY_TRANSACTION),
    PersonalTable("transaction_status_history", "id", BY_TRANSACTION),
    PersonalTable(
        "platform_transaction_payment_history",
        "id",
        BY_TRANSACTION,
        {
            "card_brand": NULL,
            "card_last_digits": NULL,
            "bank_slip_barcode": NULL,
            "pix_code": NULL,
            "bank_slip_url": NULL,
            "metadata": SCRUB,
        },
    ),
    PersonalTable("platform_utm_history", "id", BY_TRANSACTION),
    PersonalTable(
        "platform_software_invoice_history", "id", BY_TRANSACTION, {"xml_url": NULL, "pdf_url": NULL}
    ),
    PersonalTable("platform_sale_offer_history", "id", BY_TRANSACTION),
    # Commissions paid to the person (an affiliate or co-producer), known by name only.
    PersonalTable(
        "platform_commission", "id", "lower(trim(t.recipient_name)) = ANY(:names)", {"recipient_name": NULL}
    ),
    # Raw webhooks of their purchases, and any other that carries one of their e-mail addresses.
    PersonalTable(
        "checkout_events",
        "id",
        f"{BY_TRANSACTION} OR EXISTS (SELECT 1 FROM unnest(CAST(:emails AS text[])) e "
        "WHERE strpos(lower(t.payload::text), e) > 0)",
        {"payload": SCRUB, "error": SCRUB},
    ),
)

PERSONAL_TABLES_BY_NAME = {table.name: table for table in PERSONAL_TABLES}
