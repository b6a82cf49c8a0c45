"""Root fields for leads and offline conversions. (Placeholder: being written.)"""

import strawberry


@strawberry.type
class LeadQuery:
    pass
