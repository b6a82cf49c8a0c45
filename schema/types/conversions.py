"""Offline conversions and their ad-platform sync logs. (Placeholder: being written.)"""

import uuid

import models
from schema.node import Node, node_type


@node_type(models.OfflineConversion, models.OfflineConversion.conversion_id, "An offline conversion.")
class OfflineConversion(Node):
    conversion_id: uuid.UUID


@node_type(models.PlatformSyncLog, models.PlatformSyncLog.sync_id, "A sync log.")
class PlatformSyncLog(Node):
    sync_id: uuid.UUID
