"""Errors that graphkit shows to people: each says what went wrong and what to do next."""


class GraphkitError(Exception):
    """A failure a user can act on. ``hint`` says what to do next.

    >>> str(GraphkitError("Neo4j is not running", hint="run `graphkit neo4j start`"))
    'Neo4j is not running. Next: run `graphkit neo4j start`'
    """

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None):
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}. Next: {hint}")


class ConfigError(GraphkitError):
    """Settings are missing or malformed."""


class ServerError(GraphkitError):
    """The managed local Neo4j could not be provisioned, started or stopped."""


class ConnectionFailed(GraphkitError):
    """Neo4j could not be reached or refused the credentials."""
