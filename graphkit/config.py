"""Settings from the environment or a config file; secrets never print.

Precedence, lowest first: built-in defaults, the config file, environment variables.
The config file is ``$GRAPHKIT_CONFIG``, else ``./graphkit.toml``, else
``~/.config/graphkit/config.toml``::

    [neo4j]
    uri = "bolt://db.internal:7687"
    user = "graphkit"
    password = "..."
    database = "neo4j"

    [graphkit]
    hash_key = "..."          # HMAC key for identifiers; required outside the demo
    new_hash_key = "..."      # only while rotating the key (`graphkit rekey`)
    home = "/var/lib/graphkit"

    [server]                  # the managed local Neo4j (used when no uri is set)
    version = "5.26.19"
    bolt_port = 7687
    heap = "2g"
    pagecache = "4g"

With no ``uri`` anywhere, graphkit talks to its managed local server
(``graphkit neo4j start``) and reads that server's generated password.

>>> s = Settings(password=SecretStr("hunter2"))
>>> "hunter2" in repr(s)
False
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from graphkit.errors import ConfigError

#: The one place the managed Neo4j, APOC and Graph Data Science versions are pinned
#: (override: GRAPHKIT_NEO4J_VERSION, GRAPHKIT_APOC_VERSION, GRAPHKIT_GDS_VERSION).
NEO4J_VERSION = "5.26.19"
APOC_VERSION = "5.26.19"
GDS_VERSION = "2.13.9"

ENV_VARS = {
    "NEO4J_URI": ("neo4j", "uri"),
    "NEO4J_USER": ("neo4j", "user"),
    "NEO4J_PASSWORD": ("neo4j", "password"),
    "NEO4J_DATABASE": ("neo4j", "database"),
    "GRAPHKIT_HASH_KEY": ("graphkit", "hash_key"),
    "GRAPHKIT_NEW_HASH_KEY": ("graphkit", "new_hash_key"),
    "GRAPHKIT_HOME": ("graphkit", "home"),
    "GRAPHKIT_NEO4J_VERSION": ("server", "version"),
    "GRAPHKIT_APOC_VERSION": ("server", "apoc_version"),
    "GRAPHKIT_GDS_VERSION": ("server", "gds_version"),
    "GRAPHKIT_BOLT_PORT": ("server", "bolt_port"),
    "GRAPHKIT_HEAP": ("server", "heap"),
    "GRAPHKIT_PAGECACHE": ("server", "pagecache"),
}


class Settings(BaseModel):
    """Resolved settings. ``uri is None`` means: use the managed local server."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: str | None = None
    user: str = "neo4j"
    password: SecretStr | None = None
    database: str = "neo4j"
    hash_key: SecretStr | None = None
    new_hash_key: SecretStr | None = None  # only for `graphkit rekey` (key rotation)
    home: Path = Path.home() / ".cache" / "graphkit"
    neo4j_version: str = NEO4J_VERSION
    apoc_version: str = APOC_VERSION
    gds_version: str = GDS_VERSION
    bolt_port: int = 7687
    heap: str = "2g"
    pagecache: str = "4g"
    source: str = "defaults"

    @property
    def managed(self) -> bool:
        """True when graphkit should use its own local Neo4j."""
        return self.uri is None


def _config_file(env: dict[str, str]) -> Path | None:
    if "GRAPHKIT_CONFIG" in env:
        path = Path(env["GRAPHKIT_CONFIG"]).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"GRAPHKIT_CONFIG points to {path}, which does not exist",
                hint="fix the path or unset GRAPHKIT_CONFIG",
            )
        return path
    for candidate in (Path("graphkit.toml"), Path.home() / ".config" / "graphkit" / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def _flatten(sections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    renames = {("server", "version"): "neo4j_version"}
    flat: dict[str, Any] = {}
    for section, values in sections.items():
        for key, value in values.items():
            flat[renames.get((section, key), key)] = value
    return flat


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Resolve settings from defaults, the config file, the environment and ``overrides``.

    >>> load_settings(env={"NEO4J_URI": "bolt://example:7687"}).uri
    'bolt://example:7687'
    """
    env = dict(os.environ) if env is None else env
    sections: dict[str, dict[str, Any]] = {"neo4j": {}, "graphkit": {}, "server": {}}
    source = "defaults"
    path = _config_file(env)
    if path is not None:
        try:
            parsed = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from None
        unknown = set(parsed) - set(sections)
        if unknown:
            raise ConfigError(
                f"config file {path} has unknown section(s) {sorted(unknown)}",
                hint="use [neo4j], [graphkit] and [server]",
            )
        for name in sections:
            sections[name].update(parsed.get(name, {}))
        source = str(path)
    for var, (section, key) in ENV_VARS.items():
        if env.get(var):
            sections[section][key] = env[var]
    values = _flatten(sections) | {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**values, source=source)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings from {source}: {problems}") from None
