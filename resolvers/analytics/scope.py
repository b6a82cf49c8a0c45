"""What every report is asked about: one domain (or all of them) and a period."""

import uuid
from dataclasses import dataclass

from resolvers.analytics.period import Period


@dataclass(frozen=True)
class Scope:
    domain_id: uuid.UUID | None
    period: Period
