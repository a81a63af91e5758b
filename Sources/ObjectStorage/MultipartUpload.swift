import NIOHTTP1
import Storage

/// One multipart upload of a large object: create, upload the parts, complete, and abort on any failure so the
/// store keeps no orphaned parts.
struct MultipartUpload {
    let client: S3Client
    let object: S3Object

    func upload(_ bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        try await upload(size: bytes.count, mode: mode) { range in Array(bytes[range]) }
    }

    /// Uploads an object of `size` bytes whose parts `part` gives (byte ranges, in order, one held at a time).
    func upload(size: Int, mode: WriteMode, part: (Range<Int>) async throws(StorageError) -> [UInt8])
        async throws(StorageError)
    {
        let uploadId = try await create()
        do throws(StorageError) {
            var parts: [(number: Int, etag: String)] = []
            var offset = 0
            while offset < size {
                let end = min(offset + client.configuration.partSize, size)
                let bytes = try await part(offset..<end)
                guard bytes.count == end - offset else {
                    throw .io(object.original, "part \(parts.count + 1) came to \(bytes.count) bytes, not \(end - offset)")
                }
                let number = parts.count + 1
                parts.append((number, try await uploadPart(number, bytes, uploadId: uploadId)))
                offset = end
            }
            try await complete(parts, uploadId: uploadId, mode: mode, size: size)
        } catch {
            await abort(uploadId)
            throw error
        }
    }

    private func create() async throws(StorageError) -> String {
        var request = object.request("CreateMultipartUpload", .POST)
        request.query = [("uploads", "")]
        // A lost answer could hide an upload we would never learn the id of: only retry outright refusals.
        request.retry = .refusedOnly
        let response = try await client.send(request)
        guard let id = XMLElement.parse(response.body)?.text(of: "UploadId"), !id.isEmpty else {
            throw .io(object.original, "CreateMultipartUpload answered without an UploadId")
        }
        return id
    }

    private func uploadPart(_ number: Int, _ bytes: [UInt8], uploadId: String) async throws(StorageError) -> String {
        var request = object.request("UploadPart", .PUT)
        request.query = [("partNumber", String(number)), ("uploadId", uploadId)]
        request.body = bytes
        let response = try await client.send(request)
        guard let etag = response.headers.first(name: "etag") else {
            throw .io(object.original, "UploadPart \(number) answered without an ETag")
        }
        return etag
    }

    private func complete(_ parts: [(number: Int, etag: String)], uploadId: String, mode: WriteMode, size: Int)
        async throws(StorageError)
    {
        let list = parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\($0.etag.xmlEscaped)</ETag></Part>" }
        var request = object.request("CompleteMultipartUpload", .POST)
        request.query = [("uploadId", uploadId)]
        request.body = Array("<CompleteMultipartUpload>\(list.joined())</CompleteMultipartUpload>".utf8)
        if mode == .createNew { request.headers = [("if-none-match", "*")] }
        request.accept = [404]
        let response = try await client.send(request)
        // Completion can fail after a 200 status line: the error then comes in the body.
        let document = XMLElement.parse(response.body)
        if response.status == 200, document?.name == "CompleteMultipartUploadResult" { return }
        let failure = S3ErrorDocument(status: response.status, body: response.body)
        // NoSuchUpload after a lost answer: an earlier attempt completed it, if the object now has our size.
        if failure.code == "NoSuchUpload", response.followedAmbiguousFailure,
            (try? await S3Storage(client: client).size(object.original)) == Int64(size)
        {
            return
        }
        throw .io(object.original, "CompleteMultipartUpload failed (\(failure.code.isEmpty ? "HTTP \(failure.status)" : failure.code): \(failure.message))")
    }

    /// Best effort: the caller's error is the one that matters; a failed abort is left to the store's lifecycle rules.
    private func abort(_ uploadId: String) async {
        var request = object.request("AbortMultipartUpload", .DELETE)
        request.query = [("uploadId", uploadId)]
        _ = try? await client.send(request)
    }
}
