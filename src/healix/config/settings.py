"""Application settings, read from the environment and `.env`.

Profiles (`HEALIX_ENV`): development (defaults that work on a laptop), testing (fast
password hashing, in-memory rate limits) and production (refuses weak secrets).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_BYTES = 32
#: the clinic name when none is configured (the product's own); documents then carry no
#: letterhead unless an address, phone or logo is set
DEFAULT_CLINIC_NAME = "Healix"
LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
#: rate-limit storage schemes that keep counters inside one process
PER_PROCESS_STORAGE = frozenset({"memory"})


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TESTING = "testing"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class MailBackend(StrEnum):
    LOG = "log"
    SMTP = "smtp"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    healix_env: Environment = Environment.DEVELOPMENT
    instance_path: Path = Path("instance")
    database_url: str = ""
    jwt_secret_key: SecretStr | None = None
    access_token_minutes: int = Field(default=15, gt=0)
    refresh_token_days: int = Field(default=7, gt=0)
    bcrypt_rounds: int | None = Field(default=None, ge=4, le=16)
    cors_origins: Annotated[list[str], NoDecode] = []
    ratelimit_enabled: bool = True
    ratelimit_storage_url: str = "memory://"
    ratelimit_auth: str = "30 per minute"
    max_content_length: int = Field(default=4 * 1024 * 1024, gt=0)
    ingest_max_readings: int = Field(default=5000, gt=0)
    #: data imports (docs/imports.md): upload size, what a zip may unpack to, commit size
    import_max_upload_bytes: int = Field(default=1024**3, gt=0)
    import_max_unpacked_bytes: int = Field(default=8 * 1024**3, gt=0)
    import_max_zip_ratio: int = Field(default=200, gt=1)
    import_commit_readings: int = Field(default=5000, gt=0)
    login_max_failures: int = Field(default=5, gt=0)
    login_lockout_minutes: int = Field(default=15, gt=0)
    #: failures of one account from all sources together that lock it for unknown sources
    login_account_max_failures: int = Field(default=20, gt=0)
    #: a source with a sign-in to the account this recent is known: slowed down, never locked
    login_known_source_days: int = Field(default=90, gt=0)
    login_slowdown_seconds: int = Field(default=30, gt=0)
    login_slowdown_max_seconds: int = Field(default=300, gt=0)
    #: providers and admins must sign in with a second factor (TOTP); unset: on in production
    mfa_required: bool | None = None
    #: a new account signs in only after following its email link; unset: on in production
    email_verification_required: bool | None = None
    mfa_challenge_minutes: int = Field(default=5, gt=0, le=30)
    emergency_access_minutes: int = Field(default=60, gt=0)
    password_token_hours: int = Field(default=72, gt=0)
    mail_backend: MailBackend = MailBackend.LOG
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr | None = None
    smtp_use_tls: bool = True
    smtp_use_ssl: bool = False
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    mail_from: str = "Healix <no-reply@healix-demo.com>"
    clinic_name: str = Field(default=DEFAULT_CLINIC_NAME, min_length=1, max_length=120)
    clinic_address: str = Field(default="", max_length=300)
    clinic_phone: str = Field(default="", max_length=40)
    clinic_logo_path: Path | None = None
    app_base_url: str = "http://127.0.0.1:5000"
    celery_broker_url: str = ""
    celery_queue: str = Field(default="healix", min_length=1, max_length=100)
    celery_visibility_timeout_seconds: int = Field(default=3600, gt=0)
    job_max_retries: int = Field(default=5, ge=0)
    job_retry_backoff_seconds: int = Field(default=2, ge=1)
    job_retry_backoff_max_seconds: int = Field(default=600, ge=1)
    job_lease_seconds: int = Field(default=300, gt=0)
    job_redispatch_seconds: int = Field(default=900, gt=0)
    job_retention_days: int = Field(default=30, gt=0)
    relay_interval_seconds: float = Field(default=30, gt=0)
    idempotency_key_hours: int = Field(default=24, gt=0)
    audit_checkpoint_file: Path | None = None
    log_level: str = "INFO"
    #: threads per gunicorn worker (deploy/gunicorn.conf.py reads the same WEB_THREADS)
    web_threads: int = Field(default=8, gt=0, le=256)
    #: connections kept per process; empty = WEB_THREADS (one per request thread)
    db_pool_size: int | None = Field(default=None, gt=0)
    #: seconds a request waits for a free connection before answering 503
    db_pool_timeout_seconds: float = Field(default=10, gt=0)
    #: how far ahead an appointment may be booked
    booking_horizon_days: int = Field(default=365, gt=0, le=3650)
    #: "text" (one readable line) or "json" (one object per line, for log collectors)
    log_format: LogFormat = LogFormat.TEXT
    #: AES-256-GCM key of backup archives (`flask backup new-key`); previous keys, comma
    #: separated, still decrypt older archives after a rotation
    backup_encryption_key: SecretStr | None = None
    backup_previous_keys: Annotated[list[SecretStr], NoDecode] = []
    #: where the scheduled backup (beat, daily) writes; empty: no scheduled backup
    backup_dir: Path | None = None
    backup_retention: int = Field(default=14, ge=1)
    #: bearer token that /api/metrics requires; empty: the endpoint does not exist (404)
    metrics_token: SecretStr | None = None
    #: prometheus_client's multiprocess directory (several gunicorn workers); it reads the
    #: variable itself too, so it must be set in the environment, not only in .env
    prometheus_multiproc_dir: Path | None = None
    #: reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none,
    #: the address the connection comes from is the client's; 1: nginx on the same host)
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    host: str = "127.0.0.1"
    port: int = 5000
    #: the built web app served at / (empty: web/dist of this checkout)
    web_dist_dir: Path | None = None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("backup_previous_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("backup_encryption_key", "metrics_token", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("app_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator(
        "audit_checkpoint_file",
        "clinic_logo_path",
        "backup_dir",
        "prometheus_multiproc_dir",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value.removeprefix(prefix)
        return value

    @field_validator("clinic_logo_path")
    @classmethod
    def _logo_is_an_image_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() not in LOGO_SUFFIXES:
            raise ValueError("CLINIC_LOGO_PATH must name a PNG or JPEG file")
        if not value.is_file():
            raise ValueError(f"CLINIC_LOGO_PATH {value} is not a readable file")
        return value.resolve()

    @property
    def clinic_configured(self) -> bool:
        """Whether documents print a letterhead: a clinic name of its own, or contact details."""
        return bool(
            self.clinic_name != DEFAULT_CLINIC_NAME
            or self.clinic_address
            or self.clinic_phone
            or self.clinic_logo_path
        )

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        if self.healix_env is not Environment.PRODUCTION:
            return self
        secret = self.jwt_secret_key.get_secret_value() if self.jwt_secret_key else ""
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(
                f"JWT_SECRET_KEY must be set to at least {MIN_SECRET_BYTES} bytes in production"
            )
        if self.ratelimit_enabled and self.ratelimit_uses_process_memory:
            raise ValueError(
                "RATELIMIT_STORAGE_URL must name storage shared by all workers in production "
                f"(e.g. redis://host:6379/0), not {self.ratelimit_storage_url!r}: with several "
                "workers, per-process counters let each worker allow the full limit"
            )
        return self

    def backup_keys(self) -> list[str]:
        """The keys that may decrypt a backup: the current one first, then previous ones."""
        keys = [self.backup_encryption_key] if self.backup_encryption_key else []
        return [key.get_secret_value() for key in [*keys, *self.backup_previous_keys]]

    @property
    def eager_jobs(self) -> bool:
        """No broker configured: jobs run in the process that created them, after commit."""
        return not self.celery_broker_url

    @property
    def effective_mfa_required(self) -> bool:
        if self.mfa_required is not None:
            return self.mfa_required
        return self.healix_env is Environment.PRODUCTION

    @property
    def effective_email_verification_required(self) -> bool:
        if self.email_verification_required is not None:
            return self.email_verification_required
        return self.healix_env is Environment.PRODUCTION

    @property
    def ratelimit_uses_process_memory(self) -> bool:
        return urlsplit(self.ratelimit_storage_url).scheme in PER_PROCESS_STORAGE

    @property
    def is_testing(self) -> bool:
        return self.healix_env is Environment.TESTING

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_path / 'healix.db').resolve()}"

    @property
    def booking_horizon(self) -> timedelta:
        return timedelta(days=self.booking_horizon_days)

    @property
    def effective_db_pool_size(self) -> int:
        return self.db_pool_size or self.web_threads

    @property
    def effective_web_dist_dir(self) -> Path:
        if self.web_dist_dir is not None:
            return self.web_dist_dir
        return Path(__file__).resolve().parents[3] / "web" / "dist"

    @property
    def effective_bcrypt_rounds(self) -> int:
        if self.bcrypt_rounds is not None:
            return self.bcrypt_rounds
        return 4 if self.is_testing else 12

    def jwt_secret(self) -> str:
        """The signing secret; in development one is generated once and kept under instance/."""
        if self.jwt_secret_key is not None:
            return self.jwt_secret_key.get_secret_value()
        if self.is_testing:
            return "testing-secret-" + "x" * MIN_SECRET_BYTES
        secret_file = self.instance_path / "jwt_secret"
        if not secret_file.exists():
            secret_file.parent.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(secrets.token_urlsafe(48))
            secret_file.chmod(0o600)
        return secret_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
