"""Checkout webhooks: accounts per domain and platform, raw events kept before they are applied, and the
columns the normalized sale fills beyond the reference schema (status history, subscriptions, links).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    run_script("""
-- One account per domain and checkout platform. Hotmart sends its token: only its SHA-256 is kept.
-- Kiwify signs with its token (HMAC): the token is sealed with RASTRO_SECRET_KEY.
CREATE TABLE checkout_accounts (
    id           serial PRIMARY KEY,
    domain_id    uuid NOT NULL REFERENCES domains ON DELETE CASCADE,
    platform     varchar(20) NOT NULL CHECK (platform IN ('hotmart', 'kiwify')),
    name         varchar(100) NOT NULL,
    token_hash   char(64),
    token_sealed bytea,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (domain_id, platform),
    CONSTRAINT checkout_accounts_token_check CHECK (
        (platform = 'hotmart' AND token_hash IS NOT NULL) OR (platform = 'kiwify' AND token_sealed IS NOT NULL))
);
CREATE UNIQUE INDEX uq_checkout_accounts_token_hash ON checkout_accounts (platform, token_hash);
CREATE TRIGGER trg_set_updated_at BEFORE UPDATE ON checkout_accounts
    FOR EACH ROW EXECUTE FUNCTION rastro_set_updated_at();

-- Every accepted delivery, stored before the platform gets its answer (card numbers scrubbed).
CREATE TABLE checkout_events (
    id             bigserial PRIMARY KEY,
    platform       varchar(20) NOT NULL,
    dedup_key      varchar(255) NOT NULL,
    event_type     varchar(100) NOT NULL,
    account_id     integer REFERENCES checkout_accounts ON DELETE SET NULL,
    domain_id      uuid,
    payload        jsonb NOT NULL,
    status         varchar(20) NOT NULL CHECK (status IN ('applied', 'ignored', 'failed')),
    error          text,
    transaction_id integer REFERENCES transactions ON DELETE SET NULL,
    deliveries     integer NOT NULL DEFAULT 1,
    received_at    timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, dedup_key)
);
CREATE INDEX idx_checkout_events_transaction_id ON checkout_events (transaction_id);
CREATE INDEX idx_checkout_events_failed ON checkout_events (received_at) WHERE status = 'failed';
CREATE TRIGGER trg_set_updated_at BEFORE UPDATE ON checkout_events
    FOR EACH ROW EXECUTE FUNCTION rastro_set_updated_at();

-- A subscription's charges are transactions of their own (a renewal is a new transaction).
CREATE TABLE subscriptions (
    id              serial PRIMARY KEY,
    platform        varchar(50) NOT NULL,
    subscription_id varchar(100) NOT NULL,
    customer_id     integer NOT NULL REFERENCES customers ON DELETE RESTRICT,
    product_id      integer REFERENCES products ON DELETE RESTRICT,
    plan_id         varchar(100),
    plan_name       varchar(255),
    status          varchar(50),
    started_at      timestamptz,
    next_charge_at  timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, subscription_id)
);
CREATE INDEX idx_subscriptions_customer_id ON subscriptions (customer_id);
CREATE TRIGGER trg_set_updated_at BEFORE UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION rastro_set_updated_at();

ALTER TABLE customers
    ADD COLUMN document_type  varchar(4) CHECK (document_type IN ('CPF', 'CNPJ')),
    ADD COLUMN document_valid boolean;  -- check digits: false is stored, never refused
CREATE INDEX idx_customers_document ON customers (document) WHERE document IS NOT NULL;

ALTER TABLE transactions
    ADD COLUMN domain_id             uuid REFERENCES domains ON DELETE SET NULL,
    ADD COLUMN approved_at           timestamptz,
    ADD COLUMN status_at             timestamptz,   -- when the shown status happened (orders late events)
    ADD COLUMN status_detail         varchar(50),   -- the platform's own status behind status_id
    ADD COLUMN parent_transaction_id varchar(100),  -- an order bump: the platform id of its main purchase
    ADD COLUMN subscription_id       integer REFERENCES subscriptions ON DELETE SET NULL,
    ADD COLUMN charge_number         integer CHECK (charge_number >= 1),
    ADD COLUMN offline_conversion_id uuid REFERENCES offline_conversions ON DELETE SET NULL;
CREATE INDEX idx_transactions_subscription_id ON transactions (subscription_id);
CREATE INDEX idx_transactions_parent ON transactions (platform, parent_transaction_id)
    WHERE parent_transaction_id IS NOT NULL;

-- Every status a transaction went through, once each, in the platform's time.
CREATE TABLE transaction_status_history (
    id             bigserial PRIMARY KEY,
    transaction_id integer NOT NULL REFERENCES transactions ON DELETE CASCADE,
    status_id      integer NOT NULL REFERENCES transaction_statuses ON DELETE RESTRICT,
    status_detail  varchar(50) NOT NULL,
    occurred_at    timestamptz NOT NULL,
    event_id       bigint REFERENCES checkout_events ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (transaction_id, status_detail, occurred_at)
);

ALTER TABLE platform_transaction_payment_history
    ADD COLUMN pix_expires_at    timestamptz,
    ADD COLUMN bank_slip_url     text,
    ADD COLUMN bank_slip_expires_at timestamptz;

ALTER TABLE platform_utm_history
    ADD COLUMN src  varchar(255),
    ADD COLUMN sck  varchar(255),
    ADD COLUMN xcod varchar(255);

ALTER TABLE platform_sale_offer_history
    ADD COLUMN price       numeric(15, 4) CHECK (price >= 0),
    ADD COLUMN coupon_code varchar(100);
""")


def downgrade() -> None:
    run_script("""
ALTER TABLE platform_sale_offer_history DROP COLUMN price, DROP COLUMN coupon_code;
ALTER TABLE platform_utm_history DROP COLUMN src, DROP COLUMN sck, DROP COLUMN xcod;
ALTER TABLE platform_transaction_payment_history
    DROP COLUMN pix_expires_at, DROP COLUMN bank_slip_url, DROP COLUMN bank_slip_expires_at;
DROP TABLE transaction_status_history;
ALTER TABLE transactions
    DROP COLUMN domain_id, DROP COLUMN approved_at, DROP COLUMN status_at, DROP COLUMN status_detail,
    DROP COLUMN parent_transaction_id, DROP COLUMN subscription_id, DROP COLUMN charge_number,
    DROP COLUMN offline_conversion_id;
ALTER TABLE customers DROP COLUMN document_type, DROP COLUMN document_valid;
DROP TABLE subscriptions;
DROP TABLE checkout_events;
DROP TABLE checkout_accounts;
""")
