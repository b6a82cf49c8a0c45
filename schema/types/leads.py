"""Leads, their stages and integration logs. (Placeholder: being written.)"""

import uuid

import models
from schema.node import Node, node_type


@node_type(models.Lead, models.Lead.lead_id, "A lead.")
class Lead(Node):
    lead_id: uuid.UUID


@node_type(models.LeadStage, models.LeadStage.stage_id, "A lead stage.")
class LeadStage(Node):
    stage_id: uuid.UUID


@node_type(models.IntegrationLog, models.IntegrationLog.log_id, "An integration log.")
class IntegrationLog(Node):
    log_id: uuid.UUID
