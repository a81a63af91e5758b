import Storage
import Testing

@Suite struct LocationTests {
    @Test func localFormsAreEquivalent() throws {
        let forms = ["/w/t/data/f.parquet", "file:/w/t/data/f.parquet", "file:///w/t/data/f.parquet",
            "file://localhost/w/t/data/f.parquet", "/w//t/./data/f.parquet"]
        let parsed = try forms.map { try #require(Location($0)) }
        #expect(Set(parsed).count == 1)
        #expect(parsed[0].description == "/w/t/data/f.parquet")
    }

    @Test(arguments: [("/a//b/./c/", "/a/b/c"), ("/a/.", "/a"), ("/", "/"), ("/a/b.c/d", "/a/b.c/d"), ("/.a/b", "/.a/b")])
    func localPathsAreNormalized(path: String, normal: String) throws {
        #expect(try #require(Location(path)).description == normal)
    }

    @Test func objectStoreSchemesFold() throws {
        let a = try #require(Location("s3a://bucket/wh/t"))
        let b = try #require(Location("s3://bucket/wh/t"))
        #expect(a == b)
        #expect(a.description == "s3://bucket/wh/t")
        #expect(b.contains(try #require(Location("s3n://bucket/wh/t/data/x.parquet"))))
        #expect(!b.contains(try #require(Location("s3://other/wh/t/data/x.parquet"))))
    }

    @Test func containmentRespectsSegments() throws {
        let table = try #require(Location("/w/db/t"))
        #expect(table.contains(try #require(Location("file:///w/db/t/metadata/v1.json"))))
        #expect(table.contains(table))
        #expect(!table.contains(try #require(Location("/w/db/t2/data/f"))))
        #expect(!table.contains(try #require(Location("/w/db"))))
    }

    @Test(arguments: ["", "relative/path", "file://remotehost/x", "s3://", "s3:///key", "1nvalid scheme://x"])
    func rejectsMalformedLocations(text: String) {
        #expect(Location(text) == nil)
    }
}
