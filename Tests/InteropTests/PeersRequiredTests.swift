import Testing
import TestSupport

@Suite struct PeersRequiredTests {
    @Test func peersArePresentWhenRequired() throws {
        if Peers.areRequired {
            #expect(Peers.isAvailable, "AMORO_REQUIRE_PEERS=1 but the peers' virtualenv is missing")
            let versions = try Peers.python(
                "import pyarrow, fastavro, duckdb, pyiceberg; print(pyarrow.__version__, fastavro.__version__)")
            #expect(!versions.isEmpty)
            #expect(IcebergJava.isS3Available, "AMORO_REQUIRE_PEERS=1 but .venv-spark lacks Iceberg Java or its S3A jars")
            #expect(PaimonJava.isAvailable, "AMORO_REQUIRE_PEERS=1 but Paimon Java's jar (.peers/paimon-java) or a JDK is missing")
        }
    }
}
