"""Checkout platforms' purchase history. (Placeholder: being written.)"""

import models
from schema.node import Node, node_type


@node_type(models.Transaction, models.Transaction.id, "A transaction.")
class Transaction(Node):
    transaction_id: str
