"""The access matrix: which role may call each root field and mutation, and who reads personal data.

The resolvers take their role sets from here, and docs/decisions/access.md is generated from it and the
schema (`python -m schema.access`); a test walks the whole schema for every role against it.
"""

from resolvers.context import PERSONAL_DATA_ROLES, Role

READERS = frozenset({Role.VIEWER, Role.CONNECTOR, Role.ANALYST, Role.ADMIN})
WRITERS = frozenset({Role.CONNECTOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
# Tracking writes: the ingest keys of landing pages, and admins.
TRACKERS = frozenset({Role.INGEST, Role.ADMIN})
# Reports: viewers too, with personal data masked; connectors sync the CRM and run none.
ANALYSTS = frozenset({Role.ANALYST, Role.ADMIN, Role.VIEWER})

# Root query fields that not every reader may call; any other root field is open to READERS.
QUERY_ROOTS: dict[str, frozenset[Role]] = {"analytics": ANALYSTS, "exportDataSubject": ADMINS}

MUTATIONS: dict[str, frozenset[Role]] = {
    "changeLeadStage": WRITERS,
    "registerOfflineConversion": WRITERS,
    "updateLead": WRITERS,
    "retryDelivery": WRITERS,
    "importMarketingCosts": WRITERS,
    "ingestTransaction": WRITERS,
    "trackVisit": TRACKERS,
    "trackEvents": TRACKERS,
    "captureLead": TRACKERS,
    "createDomain": ADMINS,
    "updateDomain": ADMINS,
    "upsertLandingPage": ADMINS,
    "createIngestKey": ADMINS,
    "setDeliveryAccount": ADMINS,
    "setCheckoutAccount": ADMINS,
    "eraseDataSubject": ADMINS,
}

# Who gets the value of a field marked personal (schema/personal.py); other readers get null, and a
# lookup by such a value (PERSONAL_LOOKUPS) is FORBIDDEN to them.
PERSONAL_READERS = PERSONAL_DATA_ROLES
