"""Root fields for the checkout purchase history. (Placeholder: being written.)"""

import strawberry


@strawberry.type
class CheckoutQuery:
    pass
