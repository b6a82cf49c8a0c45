"""What a delivery account holds per destination: settings (readable) and secrets (sealed, never shown).

Validated when an admin sets an account and again when the worker opens it, so a bad account fails
with a message naming the field instead of a platform error.
"""

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models.enums import Destination

DIGITS = re.compile(r"\d+")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _digits(value: str, what: str) -> str:
    cleaned = value.replace("-", "")
    if not DIGITS.fullmatch(cleaned):
        raise ValueError(f"{what} must be digits (dashes allowed), e.g. 123-456-7890")
    return cleaned


class GoogleAdsSettings(Strict):
    customer_id: str
    conversion_action_id: str
    login_customer_id: str | None = None  # a manager account acting for the customer
    # 'data_manager' (events:ingest) or 'google_ads' (uploadClickConversions: allowlisted tokens only).
    api: Literal["data_manager", "google_ads"] = "data_manager"
    api_version: str = "v21"  # Google Ads API version (legacy uploads and retractions)
    click_window_days: int = Field(default=90, ge=1, le=90)  # the conversion action's click-through window
    event_source: Literal["WEB", "APP", "IN_STORE", "PHONE", "OTHER"] = "OTHER"

    @field_validator("customer_id", "conversion_action_id", "login_customer_id")
    @classmethod
    def digits(cls, value: str | None) -> str | None:
        return None if value is None else _digits(value, "the id")


class GoogleAdsSecrets(Strict):
    access_token: str | None = None
    # Or an OAuth client and refresh token, from which the worker mints short-lived access tokens.
    refresh_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    developer_token: str | None = None  # the Google Ads API (legacy uploads, retractions)

    @model_validator(mode="after")
    def some_token(self) -> "GoogleAdsSecrets":
        refreshable = self.refresh_token and self.client_id and self.client_secret
        if not (self.access_token or refreshable):
            raise ValueError("needs access_token, or refresh_token with client_id and client_secret")
        return self


class MetaSettings(Strict):
    pixel_id: str
    api_version: str = "v22.0"
    test_event_code: str | None = None
    crm_name: str = "Rastro"  # custom_data.lead_event_source
    event_names: dict[str, str] = Field(default_factory=dict)  # conversion name -> Meta event name

    @field_validator("pixel_id")
    @classmethod
    def digits(cls, value: str) -> str:
        return _digits(value, "pixel_id")


class TokenSecrets(Strict):
    access_token: str = Field(min_length=1)


class LinkedInSettings(Strict):
    conversion_rule_id: str
    version: str = Field(default="202510", pattern=r"^\d{6}$")  # LinkedIn-Version header, YYYYMM

    @field_validator("conversion_rule_id")
    @classmethod
    def digits(cls, value: str) -> str:
        return _digits(value, "conversion_rule_id")


class TikTokSettings(Strict):
    event_source_id: str = Field(min_length=1)  # pixel code or event set id
    event_source: Literal["web", "app", "offline", "crm"] = "crm"
    test_event_code: str | None = None
    window_days: int = Field(default=7, ge=1, le=90)
    event_names: dict[str, str] = Field(default_factory=dict)  # conversion name -> TikTok event


class CrmWebhookSettings(Strict):
    url: str = Field(pattern=r"^https?://\S+$")


class CrmWebhookSecrets(Strict):
    signing_secret: str = Field(min_length=16)


SHAPES: dict[Destination, tuple[type[Strict], type[Strict]]] = {
    Destination.GOOGLE_ADS: (GoogleAdsSettings, GoogleAdsSecrets),
    Destination.META: (MetaSettings, TokenSecrets),
    Destination.LINKEDIN: (LinkedInSettings, TokenSecrets),
    Destination.TIKTOK: (TikTokSettings, TokenSecrets),
    Destination.CRM_WEBHOOK: (CrmWebhookSettings, CrmWebhookSecrets),
}


class AccountError(ValueError):
    """An account's settings or secrets are unusable; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _parse(shape: type[Strict], raw: dict[str, Any], where: str) -> Strict:
    try:
        return shape.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        field = f"{where}.{path}" if path else where
        raise AccountError(field, first["msg"].removeprefix("Value error, ")) from None


def parse_settings(destination: Destination, raw: dict[str, Any]) -> Strict:
    return _parse(SHAPES[destination][0], raw, "settings")


def parse_secrets(destination: Destination, raw: dict[str, Any]) -> Strict:
    return _parse(SHAPES[destination][1], raw, "secrets")


def check_pair(settings: Strict, secrets: Strict) -> None:
    """Rules across settings and secrets."""
    if (
        isinstance(settings, GoogleAdsSettings)
        and isinstance(secrets, GoogleAdsSecrets)
        and settings.api == "google_ads"
        and not secrets.developer_token
    ):
        raise AccountError("secrets.developer_token", "is required when settings.api is 'google_ads'")
