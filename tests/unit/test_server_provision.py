"""Provisioning leaves out plugin jars the server ships, matched on groupId:artifactId."""

from graphkit.server import server_shipped

SERVER_LIB = [
    "org.neo4j.neo4j-values-5.26.19.jar",
    "org.neo4j.annotations-5.26.19.jar",
    "com.fasterxml.jackson.core.jackson-core-2.18.0.jar",
    "org.javassist.javassist-3.30.2-GA.jar",
]


def test_gds_jars_named_like_server_jars_stay() -> None:
    plugins = ["org.neo4j.gds.neo4j-values-2.13.9.jar", "org.neo4j.gds.annotations-2.13.9.jar"]
    assert server_shipped(SERVER_LIB, plugins) == []


def test_jars_the_server_ships_are_left_out_in_any_version() -> None:
    plugins = [
        "com.fasterxml.jackson.core.jackson-core-2.18.6.jar",
        "org.javassist.javassist-3.28.0-GA.jar",
        "org.neo4j.gds.proc-2.13.9.jar",
        "org.opencypher.cypher-ast-factory-9.0-9.0.20210312.jar",
        "com.fasterxml.jackson.dataformat.jackson-dataformat-csv-2.18.6.jar",
    ]
    assert server_shipped(SERVER_LIB, plugins) == [
        "com.fasterxml.jackson.core.jackson-core-2.18.6.jar",
        "org.javassist.javassist-3.28.0-GA.jar",
    ]
