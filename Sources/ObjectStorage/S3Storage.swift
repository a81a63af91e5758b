import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1
import Storage

/// `Storage` on an S3-compatible object store (`s3://`, `s3a://`, `s3n://` locations; the bucket is the
/// authority, the key the path).
///
/// Reads are ranged GETs; sizes come from HEAD; writes are one PUT, or a multipart upload above the part size
/// (aborted on any failure, so no upload is left behind); listing pages through ListObjectsV2; batch deletes go
/// 1000 keys per DeleteObjects request.
///
/// `createNew` sends `If-None-Match: *`, which AWS S3, MinIO, SeaweedFS and moto honour (the second of two racing
/// writers gets 412 → `.alreadyExists`). A store that ignores the header silently replaces the object instead: on
/// such a store only catalogs that commit by a conditional update elsewhere (the SQL catalog) are safe, not
/// the file-system catalog's `v<N>.metadata.json` race.
package struct S3Storage: Storage {
    package let client: S3Client

    package init(client: S3Client) { self.client = client }

    package init(configuration: S3Configuration) { self.init(client: S3Client(configuration: configuration)) }

    package func read(_ location: String) async throws(StorageError) -> [UInt8] {
        let object = try S3Object(location)
        return try await client.send(object.request("GetObject", .GET)).body
    }

    package func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        guard range.lowerBound >= 0 else { throw .io(location, "negative offset \(range.lowerBound)") }
        if range.isEmpty { return [] }
        let object = try S3Object(location)
        var request = object.request("GetObject", .GET)
        request.headers = [("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")]
        request.accept = [416]
        let response = try await client.send(request)
        var body = response.body
        if response.status == 200 {
            // A store that ignores Range sends the whole object.
            guard range.upperBound <= Int64(body.count) else {
                throw .io(location, "range \(range) is past the end of the \(body.count)-byte object")
            }
            body = Array(body[Int(range.lowerBound)..<Int(range.upperBound)])
        }
        guard response.status != 416, body.count == range.count else {
            throw .io(location, "range \(range) is past the end of the object")
        }
        return body
    }

    package func size(_ location: String) async throws(StorageError) -> Int64 {
        let object = try S3Object(location)
        let response = try await client.send(object.request("HeadObject", .HEAD))
        guard let length = response.headers.first(name: "content-length").flatMap(Int64.init) else {
            throw .io(location, "HEAD answered without a Content-Length")
        }
        return length
    }

    /// A file above the part size goes up in parts read from disk one at a time; a smaller one in one PUT.
    package func upload(_ location: String, fromLocalFile path: String, mode: WriteMode) async throws(StorageError) {
        let local = LocalStorage()
        let size = try await local.size(path)
        guard size > Int64(client.configuration.partSize) else {
            return try await write(location, bytes: try await local.read(path), mode: mode)
        }
        let object = try S3Object(location)
        WriteJournal.current?.record(location)
        try await MultipartUpload(client: client, object: object).upload(size: Int(size), mode: mode) { range throws(StorageError) in
            try await local.read(path, range: Int64(range.lowerBound)..<Int64(range.upperBound))
        }
    }

    package func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        let object = try S3Object(location)
        WriteJournal.current?.record(location)
        if bytes.count > client.configuration.partSize {
            try await MultipartUpload(client: client, object: object).upload(bytes, mode: mode)
            return
        }
        var request = object.request("PutObject", .PUT)
        request.body = bytes
        guard mode == .createNew else {
            _ = try await client.send(request)
            return
        }
        request.headers = [("if-none-match", "*")]
        request.accept = [412]
        let response = try await client.send(request)
        guard response.status == 412 else { return }
        // A 412 after a lost answer may be our own first attempt having landed: it is ours if the bytes are.
        if response.followedAmbiguousFailure, (try? await read(location)) == bytes { return }
        throw .alreadyExists(location)
    }

    package func delete(_ location: String) async throws(StorageError) {
        let object = try S3Object(location)
        _ = try await client.send(object.request("DeleteObject", .DELETE))
    }

    package func delete(_ locations: [String]) async throws(StorageError) {
        var byBucket: [String: [(key: String, location: String)]] = [:]
        for location in locations {
            let object = try S3Object(location)
            byBucket[object.bucket, default: []].append((object.key, location))
        }
        for (bucket, objects) in byBucket.sorted(by: { $0.key < $1.key }) {
            var start = 0
            while start < objects.count {
                let batch = Array(objects[start..<min(start + 1000, objects.count)])
                try await deleteBatch(bucket: bucket, batch)
                start += batch.count
            }
        }
    }

    package func list(prefix: String) async throws(StorageError) -> [StoredFile] {
        let base = try S3Object(prefix, allowEmptyKey: true)
        var files: [StoredFile] = []
        var token: String?
        repeat {
            var request = base.request("ListObjectsV2", .GET, bucketLevel: true)
            request.query = [("list-type", "2"), ("prefix", base.key)] + (token.map { [("continuation-token", $0)] } ?? [])
            let page = try S3ListPage(try await client.send(request).body, location: prefix)
            for entry in page.objects where base.key.isEmpty || base.key.hasSuffix("/")
                || entry.key == base.key || entry.key.hasPrefix(base.key + "/")
            {
                files.append(
                    StoredFile(location: base.location(of: entry.key), size: entry.size, modifiedMs: entry.modifiedMs))
            }
            token = page.nextToken
        } while token != nil
        return files
    }

    /// Multipart uploads begun under `prefix` and neither completed nor aborted (what a crash would leave).
    package func pendingUploads(prefix: String) async throws(StorageError) -> [String] {
        let base = try S3Object(prefix, allowEmptyKey: true)
        var request = base.request("ListMultipartUploads", .GET, bucketLevel: true)
        request.query = [("uploads", ""), ("prefix", base.key)]
        guard let document = XMLElement.parse(try await client.send(request).body) else {
            throw .io(prefix, "ListMultipartUploads answered with a document that is not XML")
        }
        return document.children("Upload").compactMap { $0.text(of: "Key") }.map(base.location(of:))
    }

    private func deleteBatch(bucket: String, _ batch: [(key: String, location: String)]) async throws(StorageError) {
        let objects = batch.map { "<Object><Key>\($0.key.xmlEscaped)</Key></Object>" }.joined()
        let body = Array("<Delete><Quiet>true</Quiet>\(objects)</Delete>".utf8)
        var request = S3Client.Request(
            operation: "DeleteObjects", method: .POST, bucket: bucket, key: "", location: batch[0].location)
        request.query = [("delete", "")]
        request.body = body
        request.headers = [("content-md5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()),
            ("content-type", "application/xml")]
        let response = try await client.send(request)
        guard let document = XMLElement.parse(response.body) else {
            throw .io(batch[0].location, "DeleteObjects answered with a document that is not XML")
        }
        if let failed = document.children("Error").first, failed.text(of: "Code") != "NoSuchKey" {
            let key = failed.text(of: "Key") ?? ""
            throw .io(
                "s3://\(bucket)/\(key)",
                "delete refused (\(failed.text(of: "Code") ?? "?"): \(failed.text(of: "Message") ?? ""))")
        }
    }
}

/// A bucket and key parsed from an `s3://` location, remembering the scheme spelling the caller used.
struct S3Object: Sendable {
    var scheme: String
    var bucket: String
    var key: String
    var original: String

    init(_ location: String, allowEmptyKey: Bool = false) throws(StorageError) {
        guard let parsed = Location(location), parsed.scheme == "s3", allowEmptyKey || !parsed.path.isEmpty else {
            throw .unsupportedLocation(location)
        }
        scheme = String(location.prefix { $0 != ":" })
        bucket = parsed.authority
        key = parsed.path
        original = location
    }

    func location(of key: String) -> String { "\(scheme)://\(bucket)/\(key)" }

    func request(_ operation: String, _ method: HTTPMethod, bucketLevel: Bool = false) -> S3Client.Request {
        S3Client.Request(operation: operation, method: method, bucket: bucket, key: bucketLevel ? "" : key,
            location: original)
    }
}
