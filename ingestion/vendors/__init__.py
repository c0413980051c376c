"""The registry of vendors: every module of this package that defines `VENDOR`, and the
modules a deployment names in PULSE_VENDOR_MODULES (comma-separated importable names, for
vendors kept outside this package).

Adding a vendor is adding its module; detection, loading, the list of feedback sources
that dbt tests and the raw gates read, and the API pulls all ask this registry, never a
list of their own.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, replace
from functools import cache

from ingestion.vendors.airbyte import envelope_format
from ingestion.vendors.base import ApiSource, FileFormat, Refusal, Vendor

EXTRA_MODULES = "PULSE_VENDOR_MODULES"
# Modules of this package that declare building blocks, not a vendor.
_NOT_VENDORS = frozenset({"airbyte", "base", "formats", "social_polls"})


class RegistryError(ValueError):
    """Two vendor modules claim the same name or format name."""


@cache
def vendors() -> tuple[Vendor, ...]:
    """Every vendor, by name."""
    found: list[Vendor] = []
    names = [
        f"{__name__}.{module_info.name}"
        for module_info in pkgutil.iter_modules(__path__)
        if module_info.name not in _NOT_VENDORS and not module_info.name.startswith("_")
    ]
    names += [name.strip() for name in os.environ.get(EXTRA_MODULES, "").split(",") if name.strip()]
    for name in names:
        module = importlib.import_module(name)
        vendor = getattr(module, "VENDOR", None)
        if not isinstance(vendor, Vendor):
            raise RegistryError(f"{module.__name__} defines no VENDOR")
        found.append(vendor)
    _check_unique([vendor.name for vendor in found], "vendor")
    return tuple(sorted(found, key=lambda vendor: vendor.name))


def vendor_named(name: str) -> Vendor:
    for vendor in vendors():
        if vendor.name == name:
            return vendor
    raise KeyError(f"no vendor named {name!r}")


@cache
def file_formats() -> tuple[tuple[Vendor, FileFormat], ...]:
    """Every (vendor, format) in the order detection tries them: by priority, then vendor."""
    pairs = [(vendor, fmt) for vendor in vendors() for fmt in vendor.formats]
    pairs += [
        (vendor, envelope_format(vendor, item)) for vendor in vendors() for item in vendor.items
    ]
    _check_unique([fmt.name for _, fmt in pairs], "format")
    return tuple(sorted(pairs, key=lambda pair: pair[1].priority))


def format_named(name: str) -> tuple[Vendor, FileFormat]:
    for vendor, fmt in file_formats():
        if fmt.name == name:
            return vendor, fmt
    raise KeyError(f"no file format named {name!r}")


@cache
def refusals() -> tuple[tuple[Vendor, Refusal], ...]:
    pairs = [(vendor, refused) for vendor in vendors() for refused in vendor.refusals]
    return tuple(sorted(pairs, key=lambda pair: pair[1].priority))


def api_sources() -> dict[str, ApiSource]:
    """API settings name -> the API pull, for every vendor that has one."""
    return {
        vendor.api.settings_name: replace(vendor.api, source=vendor.name)
        for vendor in vendors()
        if vendor.api
    }


@dataclass(frozen=True)
class FeedbackSource:
    """A value of `source` in the conformed feedback model, and what it is."""

    source: str  # a review or poll platform, or a survey vendor
    family: str
    channel: str  # survey | review | poll
    scale_min: int | None
    scale_max: int | None
    vendors: tuple[str, ...]  # the vendor modules that deliver it


_FEEDBACK_CHANNELS = {"surveys": "survey", "reviews": "review", "polls": "poll"}


def feedback_sources() -> list[FeedbackSource]:
    """One entry per source, from every vendor that delivers it (several vendors may share
    a platform). Generic layouts name their platform per row and add none of their own."""
    by_source: dict[str, list[Vendor]] = {}
    for vendor in vendors():
        if vendor.family not in _FEEDBACK_CHANNELS:
            continue  # commerce: no feedback
        if not (vendor.formats or vendor.items or vendor.platform):
            continue  # a vendor whose files are only recognised to be refused
        if vendor.family in ("reviews", "polls") and vendor.platform is None:
            continue  # a generic layout: its rows name a platform declared elsewhere
        by_source.setdefault(vendor.source, []).append(vendor)
    sources = []
    for source, delivering in sorted(by_source.items()):
        scales = {vendor.rating_scale for vendor in delivering if vendor.rating_scale}
        if len(scales) > 1:
            raise RegistryError(f"vendors of {source} disagree on its rating scale: {scales}")
        scale = next(iter(scales), None)
        sources.append(
            FeedbackSource(
                source=source,
                family=delivering[0].family,
                channel=_FEEDBACK_CHANNELS[delivering[0].family],
                scale_min=scale[0] if scale else None,
                scale_max=scale[1] if scale else None,
                vendors=tuple(vendor.name for vendor in delivering),
            )
        )
    return sources


def _check_unique(names: list[str], kind: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise RegistryError(f"two vendor modules declare the {kind} {name!r}")
        seen.add(name)
