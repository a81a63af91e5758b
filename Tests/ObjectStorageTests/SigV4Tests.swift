import Foundation
import ObjectStorage
import Testing

/// Vectors of the AWS Signature Version 4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1,
/// service "service") and the S3 GetObject example of the S3 API reference.
struct SigV4Tests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let suite = SigV4(
        credentials: AWSCredentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", source: "test"),
        region: "us-east-1", service: "service")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var path = "/"
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var signedHeaders = "host;x-amz-date"
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", method: "GET",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "post-vanilla", method: "POST",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(name: "get-vanilla-query-order-key-case", method: "GET", query: [("Param2", "value2"), ("Param1", "value1")],
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "get-unreserved", method: "GET",
            path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Vector(name: "post-header-value-case", method: "POST", headers: [("My-Header1", "VALUE1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        Vector(name: "get-header-value-trim", method: "GET",
            headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
            signedHeaders: "host;my-header1;my-header2;x-amz-date",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
    ]

    @Test(arguments: vectors)
    func suiteVector(_ vector: Vector) {
        let request = SigV4.Request(
            method: vector.method, path: vector.path, query: vector.query,
            headers: [("Host", "example.amazonaws.com")] + vector.headers, payloadHash: Self.emptyHash)
        let headers = Self.suite.signingHeaders(for: request, at: Self.suiteDate)
        #expect(headers.first { $0.0 == "x-amz-date" }?.1 == "20150830T123600Z")
        #expect(
            headers.first { $0.0 == "authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
    }

    @Test func canonicalRequestAndStringToSignOfGetVanilla() {
        let request = SigV4.Request(
            method: "GET", path: "/", query: [],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], payloadHash: Self.emptyHash)
        #expect(
            SigV4.canonicalRequest(request)
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(Self.emptyHash)")
        #expect(
            Self.suite.stringToSign(request, timestamp: "20150830T123600Z")
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
    }

    /// The S3 API reference's example: GET /test.txt with `Range: bytes=0-9` from examplebucket, 2013-05-24.
    @Test func s3GetObjectExample() {
        let signer = SigV4(
            credentials: AWSCredentials(
                accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                source: "test"),
            region: "us-east-1")
        let request = SigV4.Request(
            method: "GET", path: "/test.txt", query: [],
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", Self.emptyHash),
            ],
            payloadHash: Self.emptyHash)
        let headers = signer.signingHeaders(for: request, at: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(
            headers.first { $0.0 == "authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func sessionTokenIsSentAndSigned() {
        var signer = Self.suite
        signer.credentials.sessionToken = "TOKEN"
        let request = SigV4.Request(
            method: "GET", path: "/", query: [], headers: [("host", "example.amazonaws.com")], payloadHash: Self.emptyHash)
        let headers = signer.signingHeaders(for: request, at: Self.suiteDate)
        #expect(headers.contains { $0 == ("x-amz-security-token", "TOKEN") })
        #expect(headers.first { $0.0 == "authorization" }?.1.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }

    @Test func uriEncodingKeepsOnlyUnreservedCharacters() {
        #expect(SigV4.uriEncode("a b/c=d~é", keepSlash: true) == "a%20b/c%3Dd~%C3%A9")
        #expect(SigV4.uriEncode("a/b+c", keepSlash: false) == "a%2Fb%2Bc")
    }
}
