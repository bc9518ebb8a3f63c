"""The project's own settings: one prefix, one typed view resolved once per crawl, old names kept
for one release with a deprecation warning."""

from __future__ import annotations

import dataclasses
import os
import socket
import uuid
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings

PREFIX = "PORTAL_"
# Environment variables a worker may be configured by (not settings: the names stay).
ENV_URL, ENV_JOB, ENV_WORKER = "REDIS_URL", "REDIS_JOB", "REDIS_WORKER"


@dataclass(frozen=True)
class PortalConfig:
    """Every `PORTAL_*` setting, typed, with the value this crawl uses (defaults as in settings)."""

    state_path: str | None = None
    incremental_refresh: bool = False
    warc_dir: str | None = None
    warc_max_bytes: int = 100 * 1024 * 1024
    warc_prefix: str | None = None
    report_path: str | None = None
    report_max_reject_rate: float = 0.05
    report_max_coverage_drop: float = 20.0
    run_report_enabled: bool = True
    progress: bool = True  # a progress line on stderr when it is a terminal (report/progress.py)
    progress_interval: float = 2.0
    rejects_uri: str | None = None
    listing_max_pages: int = 10_000
    retry_backoff_base: float = 0.5
    retry_backoff_max: float = 30.0
    retry_after_max: float = 120.0
    gc_threshold: tuple[int, ...] | None = (20000, 50, 100)
    feed_fsync: bool = False
    redis_job: str | None = None
    redis_worker: str | None = None
    redis_idle_wait: float = 10.0
    redis_worker_timeout: float = 60.0
    redis_key_prefix: str | None = None  # set by the distributed add-on, not by people

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PortalConfig:
        """The typed values of `settings` (deprecated names already moved to `PORTAL_*`)."""
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            name = setting_name(spec.name)
            if settings.getpriority(name) is None:
                continue  # not set anywhere: the default
            kind: type[object] = type(spec.default)
            if settings.get(name) in (None, ""):
                values[spec.name] = None if spec.default is None or kind is tuple else spec.default
            elif kind is bool:
                values[spec.name] = settings.getbool(name)
            elif kind is int:
                values[spec.name] = settings.getint(name)
            elif kind is float:
                values[spec.name] = settings.getfloat(name)
            elif kind is tuple:
                values[spec.name] = tuple(settings.getlist(name))
            else:
                values[spec.name] = str(settings.get(name))
        return cls(**values)


def setting_name(field: str) -> str:
    """`state_path` -> `PORTAL_STATE_PATH`."""
    return PREFIX + field.upper()


_DEFAULTS = {setting_name(f.name): f.default for f in dataclasses.fields(PortalConfig)}
# Settings that never had a name without the prefix.
_NEW_NAMES = {"redis_key_prefix", "progress", "progress_interval"}
# Old name -> new name, for one release.
RENAMED = {
    f.name.upper(): setting_name(f.name)
    for f in dataclasses.fields(PortalConfig)
    if f.name not in _NEW_NAMES
}


def upgrade_settings(settings: BaseSettings) -> list[str]:
    """Move settings given by their old names to `PORTAL_*` (warning once each); the old names
    found."""
    found = []
    for old, new in RENAMED.items():
        old_priority = settings.getpriority(old)
        if old_priority is None:
            continue
        found.append(old)
        warnings.warn(
            f"the setting {old} is now {new}; the old name stops working in the next release",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        new_priority = settings.getpriority(new)
        # The new name wins when both are given at the same level (both with -s, say), unless it
        # only holds the default (a settings module that imports ours and sets the old name).
        default = _DEFAULTS.get(new)
        if (
            new_priority is None
            or new_priority < old_priority
            or (new_priority == old_priority and settings[new] in (default, None))
        ):
            settings.set(new, settings[old], priority=old_priority)
        settings.delete(old, priority=old_priority)  # moved: said once
    return found


class RenamedSettings:
    """Add-on (first of all): the settings' old names still work, with a warning."""

    def update_settings(self, settings: BaseSettings) -> None:
        upgrade_settings(settings)


class _HasSettings(Protocol):
    @property
    def settings(self) -> BaseSettings: ...


def config(crawler: _HasSettings) -> PortalConfig:
    """The crawl's `PortalConfig`, resolved the first time a component asks (in `from_crawler`)."""
    resolved: PortalConfig | None = getattr(crawler, "_portal_config", None)
    if resolved is None:
        resolved = PortalConfig.from_settings(crawler.settings)
        crawler._portal_config = resolved  # type: ignore[attr-defined]
    return resolved


def worker_name() -> str:
    """A name for a worker process that no other process shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def from_environment(name: str) -> str | None:
    """A worker's environment variable: `PORTAL_<name>`, or `<name>` (deprecated) as before."""
    value = os.environ.get(PREFIX + name)
    if value:
        return value
    value = os.environ.get(name)
    if value:
        warnings.warn(
            f"the environment variable {name} is now {PREFIX}{name}; the old name stops "
            "working in the next release",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
    return value or None
