"""LeadMetadata: the typed view of leads.metadata (scoring, qualification, enrichment) and its validation."""

from typing import Any

import strawberry

from schema.types.shapes import section

SCORES = ("demographic", "behavioral", "firmographic", "total")
QUALIFICATION = ("budget", "authority", "need", "timeline")
ENRICHMENT_TEXT = ("companySize", "industry", "revenue")
SECTIONS = {
    "scoring": SCORES,
    "qualification": QUALIFICATION,
    "enrichment": (*ENRICHMENT_TEXT, "technologies"),
}


@strawberry.type(description="Lead scores, each 0-100.")
class LeadScoring:
    demographic: int | None = strawberry.field(description="Fit of the person (role, location...).")
    behavioral: int | None = strawberry.field(description="Engagement seen on the site.")
    firmographic: int | None = strawberry.field(description="Fit of the company.")
    total: int | None = strawberry.field(description="Overall score.")


@strawberry.type(description="BANT qualification of a lead.")
class LeadQualification:
    budget: str | None = strawberry.field(description="Budget, e.g. high, medium, low.")
    authority: str | None = strawberry.field(description="Role in the decision, e.g. decision_maker.")
    need: str | None = strawberry.field(description="Urgency of the need, e.g. urgent.")
    timeline: str | None = strawberry.field(description="Expected buying window, e.g. 0-3months.")


@strawberry.type(description="What enrichment services know of the lead's company.")
class LeadEnrichment:
    company_size: str | None = strawberry.field(description="Headcount band, e.g. 50-200.")
    industry: str | None = strawberry.field(description="Industry.")
    revenue: str | None = strawberry.field(description="Revenue band, e.g. $1M-$10M.")
    technologies: list[str] | None = strawberry.field(description="Technologies the company uses.")


@strawberry.type(
    description="LeadMetadata: scoring, qualification and enrichment (see metadataJson for more)."
)
class LeadMetadata:
    scoring: LeadScoring = strawberry.field(description="Scores.")
    qualification: LeadQualification = strawberry.field(description="BANT qualification.")
    enrichment: LeadEnrichment = strawberry.field(description="Company enrichment.")


def _int(raw: dict[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _texts(raw: dict[str, Any], key: str) -> list[str] | None:
    value = raw.get(key)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else None


def lead_metadata(raw: Any) -> LeadMetadata:
    """Leniently: a missing or mistyped value reads as null."""
    scoring, qualification, enrichment = (section(raw, name) for name in SECTIONS)
    return LeadMetadata(
        scoring=LeadScoring(**{key: _int(scoring, key) for key in SCORES}),
        qualification=LeadQualification(**{key: _text(qualification, key) for key in QUALIFICATION}),
        enrichment=LeadEnrichment(
            company_size=_text(enrichment, "companySize"),
            industry=_text(enrichment, "industry"),
            revenue=_text(enrichment, "revenue"),
            technologies=_texts(enrichment, "technologies"),
        ),
    )
