"""Vendor API settings, read from the environment when a pull starts (never at import).

For vendor V: PULSE_API_V_BASE_URL, PULSE_API_V_PAGE_SIZE, PULSE_API_V_TOKEN (the secret:
only ever sent in a request header, never logged) and vendor options such as
PULSE_API_TRUSTPILOT_BUSINESS_UNIT_ID.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingestion.api.http import HttpClient


class ApiConfigError(ValueError):
    """A setting a vendor pull needs is missing or malformed."""


def env_name(vendor: str, setting: str) -> str:
    return f"PULSE_API_{vendor.upper()}_{setting.upper()}"


@dataclass(frozen=True)
class VendorSettings:
    vendor: str
    base_url: str
    page_size: int
    token: str
    token_env_var: str

    def __repr__(self) -> str:  # keeps the token out of logs and tracebacks
        return (
            f"VendorSettings(vendor={self.vendor!r}, base_url={self.base_url!r},"
            f" page_size={self.page_size})"
        )

    def option(self, name: str, default: str | None = None) -> str:
        value = os.environ.get(env_name(self.vendor, name), default)
        if not value:
            raise ApiConfigError(f"{self.vendor}: set {env_name(self.vendor, name)}")
        return value

    def int_option(self, name: str, default: int) -> int:
        text = self.option(name, str(default))
        try:
            return int(text)
        except ValueError:
            raise ApiConfigError(
                f"{self.vendor}: {env_name(self.vendor, name)}={text!r} is not a whole number"
            ) from None

    def lookback(self, default_days: int) -> timedelta:
        """How far back a first pull reaches: the vendor's `lookback_days` option."""
        return timedelta(days=self.int_option("lookback_days", default_days))

    def client(self, headers: dict[str, str] | None = None, **options: Any) -> HttpClient:
        """An HTTP client for this vendor's API that sends the token in `headers` (a bearer
        token unless the vendor names its own header) to the base URL's host only."""
        from ingestion.api.http import HttpClient

        return HttpClient(
            self.vendor,
            self.token_env_var,
            headers if headers is not None else {"Authorization": f"Bearer {self.token}"},
            base_url=self.base_url,
            **options,
        )


def vendor_settings(vendor: str, default_base_url: str, default_page_size: int) -> VendorSettings:
    token_env_var = env_name(vendor, "token")
    token = os.environ.get(token_env_var, "")
    if not token:
        raise ApiConfigError(f"{vendor}: set {token_env_var} to the API credential")
    base_url = os.environ.get(env_name(vendor, "base_url"), default_base_url).rstrip("/")
    settings = VendorSettings(vendor, base_url, default_page_size, token, token_env_var)
    page_size = settings.int_option("page_size", default_page_size)
    if page_size < 1:
        raise ApiConfigError(f"{vendor}: {env_name(vendor, 'page_size')} must be at least 1")
    return VendorSettings(vendor, base_url, page_size, token, token_env_var)
