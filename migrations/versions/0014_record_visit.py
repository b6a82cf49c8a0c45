"""A visit in one round trip: rastro_record_visit finds or starts the session and writes the visit's rows.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

from migrations.raw_sql import run_script

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# 0022 adds domain_id to the rows this writes; its downgrade puts this version back.
RECORD_VISIT = """
-- Called outside any transaction, it is one: the journey upsert locks the visitor until it returns, and
-- each statement of a volatile function takes a new snapshot, so the latest session read after the lock
-- includes one a concurrent first hit just committed. The session rules' limits come from the caller.
CREATE FUNCTION rastro_record_visit(
    p_domain_id uuid, p_visitor_id text, p_page_id uuid, p_new_session_id text,
    p_idle_limit interval, p_length_limit interval, p_capture_always boolean,
    p_utm_source text, p_utm_medium text, p_utm_campaign text, p_utm_term text, p_utm_content text,
    p_gclid text, p_gbraid text, p_wbraid text, p_fbclid text, p_ttclid text, p_li_fat_id text,
    p_msclkid text, p_device text, p_client_ip inet, p_user_agent text, p_url_params jsonb,
    OUT o_session_id text, OUT o_new_session boolean, OUT o_view_id uuid, OUT o_view_order integer
) LANGUAGE plpgsql AS $$
DECLARE
    latest record;
BEGIN
    INSERT INTO visitor_journeys AS j (visitor_id, domain_id, total_sessions, total_page_views)
    VALUES (p_visitor_id, p_domain_id, 0, 1)
    ON CONFLICT (visitor_id, domain_id) DO UPDATE
    SET total_page_views = j.total_page_views + 1, last_visit_at = greatest(j.last_visit_at, now());

    SELECT s.session_id, now() - s.started_at AS age, now() - s.last_activity_at AS idle,
           u.utm_campaign, u.gclid, u.fbclid, u.ttclid, u.li_fat_id,
           u.url_params ->> 'gbraid' AS gbraid, u.url_params ->> 'wbraid' AS wbraid,
           u.url_params ->> 'msclkid' AS msclkid
    INTO latest
    FROM sessions s
    LEFT JOIN LATERAL (
        SELECT * FROM utm_tracking t WHERE t.session_id = s.session_id
        ORDER BY t.created_at DESC, t.tracking_id DESC LIMIT 1
    ) u ON true
    WHERE s.domain_id = p_domain_id AND s.visitor_id = p_visitor_id
    ORDER BY s.started_at DESC, s.session_id DESC LIMIT 1;

    -- A new campaign or click id starts a session; a visit without one continues it.
    IF NOT FOUND THEN
        o_new_session := true;
    ELSE
        o_new_session := latest.idle >= p_idle_limit OR latest.age >= p_length_limit
            OR (p_utm_campaign IS NOT NULL AND p_utm_campaign IS DISTINCT FROM latest.utm_campaign)
            OR (p_gclid IS NOT NULL AND p_gclid IS DISTINCT FROM latest.gclid)
            OR (p_gbraid IS NOT NULL AND p_gbraid IS DISTINCT FROM latest.gbraid)
            OR (p_wbraid IS NOT NULL AND p_wbraid IS DISTINCT FROM latest.wbraid)
            OR (p_fbclid IS NOT NULL AND p_fbclid IS DISTINCT FROM latest.fbclid)
            OR (p_ttclid IS NOT NULL AND p_ttclid IS DISTINCT FROM latest.ttclid)
            OR (p_li_fat_id IS NOT NULL AND p_li_fat_id IS DISTINCT FROM latest.li_fat_id)
            OR (p_msclkid IS NOT NULL AND p_msclkid IS DISTINCT FROM latest.msclkid);
    END IF;

    IF o_new_session THEN
        o_session_id := p_new_session_id;
        o_view_order := 1;
        INSERT INTO sessions (session_id, domain_id, visitor_id, first_page_id, total_page_views)
        VALUES (p_new_session_id, p_domain_id, p_visitor_id, p_page_id, 1);
        UPDATE visitor_journeys SET total_sessions = total_sessions + 1
        WHERE visitor_id = p_visitor_id AND domain_id = p_domain_id;
    ELSE
        o_session_id := latest.session_id;
        UPDATE sessions SET total_page_views = total_page_views + 1,
                            last_activity_at = greatest(last_activity_at, now())
        WHERE session_id = latest.session_id
        RETURNING total_page_views INTO o_view_order;
    END IF;

    INSERT INTO page_views (session_id, page_id, view_order)
    VALUES (o_session_id, p_page_id, o_view_order)
    RETURNING view_id INTO o_view_id;

    -- Every session's first visit is captured (IP, user agent, device), and any visit with UTMs.
    IF o_new_session OR p_capture_always THEN
        INSERT INTO utm_tracking (session_id, page_id, utm_source, utm_medium, utm_campaign, utm_term,
                                  utm_content, gclid, fbclid, ttclid, li_fat_id, device, client_ip,
                                  user_agent, url_params)
        VALUES (o_session_id, p_page_id, p_utm_source, p_utm_medium, p_utm_campaign, p_utm_term,
                p_utm_content, p_gclid, p_fbclid, p_ttclid, p_li_fat_id, p_device, p_client_ip,
                p_user_agent, p_url_params);
    END IF;
END $$;
"""


def upgrade() -> None:
    run_script(RECORD_VISIT)


def downgrade() -> None:
    run_script("DROP FUNCTION rastro_record_visit;")
