import Crypto
import Foundation

/// AWS Signature Version 4 over request headers, as the AWS specification defines it: a canonical request,
/// the string to sign, a key derived from the secret by four HMAC-SHA256 steps, and the `Authorization` header.
///
/// The path is signed as it is sent (S3's rule: no second encoding, no dot-segment removal); query parameters are
/// encoded and sorted; every header handed in is signed.
package struct SigV4: Sendable {
    package var credentials: AWSCredentials
    package var region: String
    package var service: String

    package init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request to sign. `path` is already percent-encoded; `query` holds raw (unencoded) names and values.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        package var query: [(String, String)]
        package var headers: [(String, String)]
        package var payloadHash: String

        package init(method: String, path: String, query: [(String, String)], headers: [(String, String)],
            payloadHash: String)
        {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The headers to add to `request`: `x-amz-date`, the session token when there is one, and `Authorization`.
    /// `request.headers` must already hold `host` and every other header that is sent and should be signed.
    package func signingHeaders(for request: Request, at date: Date) -> [(String, String)] {
        let stamp = Self.timestamp(date)
        var request = request
        var added = [("x-amz-date", stamp)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        request.headers += added
        let signature = self.signature(for: request, timestamp: stamp)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(stamp)), "
            + "SignedHeaders=\(Self.signedHeaders(request.headers)), Signature=\(signature)"
        return added + [("authorization", authorization)]
    }

    /// The hex signature of a request whose headers already include `x-amz-date` (= `timestamp`).
    package func signature(for request: Request, timestamp: String) -> String {
        let key = signingKey(day: String(timestamp.prefix(8)))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign(request, timestamp: timestamp).utf8), using: key)
        return Self.hex(mac)
    }

    package func stringToSign(_ request: Request, timestamp: String) -> String {
        let hashed = Self.hex(SHA256.hash(data: Array(Self.canonicalRequest(request).utf8)))
        return "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope(timestamp))\n\(hashed)"
    }

    package static func canonicalRequest(_ request: Request) -> String {
        let encoded: [(name: String, value: String)] = request.query.map { name, value in
            (uriEncode(name, keepSlash: false), uriEncode(value, keepSlash: false))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        let query = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let headers = canonicalHeaders(request.headers)
        let headerLines = headers.map { "\($0.name):\($0.value)\n" }.joined()
        return [
            request.method, request.path.isEmpty ? "/" : request.path, query, headerLines,
            signedHeaders(request.headers), request.payloadHash,
        ].joined(separator: "\n")
    }

    /// Lower-case names, sorted; values trimmed with inner runs of spaces folded; repeated names joined by commas.
    static func canonicalHeaders(_ headers: [(String, String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let folded = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(folded.trimmingCharacters(in: .whitespaces))
        }
        return merged.keys.sorted().map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    static func signedHeaders(_ headers: [(String, String)]) -> String {
        Set(headers.map { $0.0.lowercased() }).sorted().joined(separator: ";")
    }

    private func scope(_ timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    package static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 1970)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }

    /// Percent-encoding with AWS's unreserved set (`A-Z a-z 0-9 - . _ ~`), upper-case hex, UTF-8 bytes.
    package static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                result += "/"
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                result.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "%")))
                result.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 0xF)]))
            }
        }
        return result
    }

    /// Lower-case hex of a digest or MAC.
    package static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var result = [UInt8]()
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The hex SHA-256 of a payload (`x-amz-content-sha256`).
    package static func payloadHash(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }
}
