from pathlib import Path

import pytest
from pydantic import ValidationError

from healix.config import Settings

SHARED_STORAGE = "redis://127.0.0.1:6379/15"


def test_production_refuses_a_missing_or_short_secret():
    with pytest.raises(ValidationError, match="JWT_SECRET_KEY"):
        Settings(healix_env="production", _env_file=None)
    with pytest.raises(ValidationError, match="JWT_SECRET_KEY"):
        Settings(healix_env="production", jwt_secret_key="short", _env_file=None)
    settings = Settings(
        healix_env="production",
        jwt_secret_key="s" * 32,
        ratelimit_storage_url=SHARED_STORAGE,
        _env_file=None,
    )
    assert settings.effective_bcrypt_rounds == 12


@pytest.mark.parametrize("storage", ["memory://", "MEMORY://", "memory:///ignored"])
def test_production_refuses_per_process_rate_limit_storage(storage):
    """Defect 7: production started with memory:// counters, so each gunicorn worker kept
    its own and a client got the limit once per worker."""
    with pytest.raises(ValidationError, match="RATELIMIT_STORAGE_URL must name storage shared"):
        Settings(
            healix_env="production",
            jwt_secret_key="s" * 32,
            ratelimit_storage_url=storage,
            _env_file=None,
        )


def test_per_process_rate_limit_storage_is_fine_outside_production_or_when_disabled():
    assert Settings(ratelimit_storage_url="memory://", _env_file=None).ratelimit_uses_process_memory
    Settings(
        healix_env="production",
        jwt_secret_key="s" * 32,
        ratelimit_enabled=False,
        ratelimit_storage_url="memory://",
        _env_file=None,
    )


def test_development_generates_and_keeps_a_secret(tmp_path):
    settings = Settings(instance_path=tmp_path, _env_file=None)
    first = settings.jwt_secret()
    assert len(first) >= 32
    assert settings.jwt_secret() == first
    assert (tmp_path / "jwt_secret").stat().st_mode & 0o077 == 0


def test_defaults(tmp_path):
    settings = Settings(instance_path=tmp_path, _env_file=None)
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_database_url.endswith("healix.db")
    assert settings.access_token_minutes == 15
    assert settings.refresh_token_days == 7
    assert settings.cors_origins == []
    assert Settings(healix_env="testing", _env_file=None).effective_bcrypt_rounds == 4


def test_environment_parsing(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    settings = Settings(_env_file=None)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_every_setting_is_in_env_example():
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line[:60]}
    missing = {name.upper() for name in Settings.model_fields} - listed
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_background_settings_parse_from_the_environment(monkeypatch):
    monkeypatch.setenv("AUDIT_CHECKPOINT_FILE", "")
    monkeypatch.setenv("APP_BASE_URL", "https://app.example.com/")
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    settings = Settings(_env_file=None)
    assert settings.audit_checkpoint_file is None
    assert settings.app_base_url == "https://app.example.com"
    assert settings.mail_backend == "smtp"
    assert settings.eager_jobs
    with pytest.raises(ValidationError, match="mail_backend"):
        Settings(mail_backend="pigeon", _env_file=None)


def test_the_clinic_letterhead_is_configured_by_any_clinic_setting(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")

    assert not Settings(_env_file=None).clinic_configured
    assert not Settings(clinic_name="Healix", clinic_logo_path="", _env_file=None).clinic_configured
    for fields in (
        {"clinic_name": "Klinik am See"},
        {"clinic_address": "Seestrasse 1"},
        {"clinic_phone": "+41 44 000 00 00"},
        {"clinic_logo_path": str(logo)},
    ):
        assert Settings(**fields, _env_file=None).clinic_configured, fields


def test_a_clinic_logo_must_be_an_existing_png_or_jpeg(tmp_path):
    text = tmp_path / "logo.txt"
    text.write_text("not an image")
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        Settings(clinic_logo_path=str(text), _env_file=None)
    with pytest.raises(ValidationError, match="not a readable file"):
        Settings(clinic_logo_path=str(tmp_path / "missing.png"), _env_file=None)


def test_two_factor_sign_in_is_required_in_production_only_unless_set():
    production = {
        "healix_env": "production",
        "jwt_secret_key": "p" * 40,
        "ratelimit_storage_url": "redis://localhost:6379/0",
        "_env_file": None,
    }
    assert Settings(**production).effective_mfa_required is True
    assert Settings(**production, mfa_required=False).effective_mfa_required is False
    assert Settings(healix_env="development", _env_file=None).effective_mfa_required is False
    assert Settings(healix_env="testing", _env_file=None).effective_mfa_required is False
