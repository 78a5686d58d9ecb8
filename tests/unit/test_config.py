"""Settings resolution: defaults, config file, environment; secrets never shown."""

from pathlib import Path

import pytest

from graphkit.config import NEO4J_VERSION, load_settings
from graphkit.errors import ConfigError


def test_defaults_use_the_managed_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={"HOME": str(tmp_path)})
    assert settings.managed
    assert settings.neo4j_version == NEO4J_VERSION
    assert settings.database == "neo4j"


def test_environment_overrides_config_file(tmp_path: Path) -> None:
    config = tmp_path / "graphkit.toml"
    config.write_text(
        '[neo4j]\nuri = "bolt://file:7687"\nuser = "fileuser"\npassword = "filepw"\n'
        '[server]\nversion = "5.26.1"\nbolt_port = 7999\n'
    )
    env = {"GRAPHKIT_CONFIG": str(config), "NEO4J_USER": "envuser"}
    settings = load_settings(env=env)
    assert settings.uri == "bolt://file:7687"
    assert settings.user == "envuser"
    assert settings.neo4j_version == "5.26.1"
    assert settings.bolt_port == 7999
    assert settings.source == str(config)


def test_secrets_are_masked_in_repr_and_str() -> None:
    settings = load_settings(env={"NEO4J_PASSWORD": "s3cr3t-pw", "GRAPHKIT_HASH_KEY": "k3y-value"})
    assert settings.password is not None
    assert settings.password.get_secret_value() == "s3cr3t-pw"
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "s3cr3t-pw" not in text
        assert "k3y-value" not in text


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={"GRAPHKIT_CONFIG": str(tmp_path / "nope.toml")})


def test_unknown_section_and_key_are_rejected(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[neo5j]\nuri = 'x'\n")
    with pytest.raises(ConfigError, match="unknown section"):
        load_settings(env={"GRAPHKIT_CONFIG": str(config)})
    config.write_text("[neo4j]\nurl = 'x'\n")
    with pytest.raises(ConfigError, match="url"):
        load_settings(env={"GRAPHKIT_CONFIG": str(config)})


def test_bad_port_names_the_setting_but_not_secrets() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={"GRAPHKIT_BOLT_PORT": "seven", "NEO4J_PASSWORD": "pw-xyz"})
    assert "bolt_port" in str(info.value)
    assert "pw-xyz" not in str(info.value)


def test_a_dsn_with_a_password_is_refused_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from graphkit.cli import app

    secret = "postgresql://loader:s3cret@127.0.0.1:1/marketplace"
    for args in (
        ["sync", "--from", "postgres", "--dsn", secret],
        ["load", "--from", "postgres", "--dsn", "host=h password=s3cret dbname=m"],
        ["synth", "--scale", "tiny", "--out", str(tmp_path), "--to-postgres", secret],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "GRAPHKIT_" in result.output and "s3cret" not in result.output
    assert not any(tmp_path.iterdir())  # refused before anything ran
