import ObjectStorage
import Storage
import Testing

/// S3's XML answers: listing pages, error documents, multipart and batch-delete results.
struct S3ResponseTests {
    @Test func listPageWithContinuationToken() throws {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>t/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
              <IsTruncated>true</IsTruncated>
              <Contents><Key>t/a&amp;b.parquet</Key><LastModified>2024-01-31T12:34:56.789Z</LastModified>
                <ETag>&quot;abc&quot;</ETag><Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>t/b</Key><LastModified>1970-01-01T00:00:01Z</LastModified><Size>0</Size></Contents>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """.utf8)
        let page = try S3ListPage(body, location: "s3://bucket/t/")
        #expect(page.objects == [
            .init(key: "t/a&b.parquet", size: 1234, modifiedMs: 1_706_704_496_789),
            .init(key: "t/b", size: 0, modifiedMs: 1_000),
        ])
        #expect(page.nextToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    }

    @Test func lastPageHasNoToken() throws {
        let body = Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8)
        let page = try S3ListPage(body, location: "s3://b/")
        #expect(page.objects.isEmpty)
        #expect(page.nextToken == nil)
    }

    @Test func truncatedPageWithoutTokenOrWithBadDatesIsAnError() {
        #expect(throws: StorageError.self) {
            try S3ListPage(Array("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>".utf8), location: "s3://b/")
        }
        let badDate = "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified></Contents></ListBucketResult>"
        #expect(throws: StorageError.self) { try S3ListPage(Array(badDate.utf8), location: "s3://b/") }
        #expect(throws: StorageError.self) { try S3ListPage(Array("<html>oops".utf8), location: "s3://b/") }
    }

    @Test func errorDocumentsBecomeClearStorageErrors() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "very-secret", source: "environment")
        func error(_ status: Int, _ code: String) -> StorageError {
            let body = Array("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>because</Message></Error>".utf8)
            return S3ErrorDocument(status: status, body: body).storageError("s3://b/k", bucket: "b", attempts: 4, credentials: credentials)
        }
        #expect(error(404, "NoSuchKey") == .notFound("s3://b/k"))
        #expect(error(404, "NoSuchBucket") == .service("s3://b/k", "bucket 'b' does not exist (NoSuchBucket)"))
        #expect(error(412, "PreconditionFailed") == .alreadyExists("s3://b/k"))
        let denied = error(403, "SignatureDoesNotMatch").description
        #expect(denied.contains("SignatureDoesNotMatch") && denied.contains("AKID…") && !denied.contains("very-secret"))
        #expect(error(503, "SlowDown").description.contains("throttled"))
        #expect(error(500, "InternalError") == .io("s3://b/k", "S3 answered 500 (InternalError: because)"))
        #expect(S3ErrorDocument(status: 404, body: []).storageError("s3://b/k", bucket: "b", attempts: 1,
            credentials: credentials) == .notFound("s3://b/k"))
    }

    @Test func retryPolicyFollowsTheStatus() {
        let slowDown = S3ErrorDocument(status: 503, code: "SlowDown", message: "")
        let serverError = S3ErrorDocument(status: 500, code: "InternalError", message: "")
        let denied = S3ErrorDocument(status: 403, code: "AccessDenied", message: "")
        #expect(slowDown.isRetryable(.idempotent) && slowDown.isRetryable(.refusedOnly))
        #expect(serverError.isRetryable(.idempotent) && !serverError.isRetryable(.refusedOnly))
        #expect(!denied.isRetryable(.idempotent))
    }

    @Test func multipartAndDeleteDocuments() throws {
        let initiated = XMLElement.parse(Array("""
            <?xml version="1.0"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
            <Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>
            """.utf8))
        #expect(initiated?.text(of: "UploadId") == "VXBsb2FkIElE")
        let deleted = try #require(XMLElement.parse(Array("""
            <DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code>
            <Message>no</Message></Error></DeleteResult>
            """.utf8)))
        #expect(deleted.children("Deleted").map { $0.text(of: "Key") } == ["a"])
        #expect(deleted.child("Error")?.text(of: "Code") == "AccessDenied")
        let uploads = try #require(XMLElement.parse(Array("""
            <ListMultipartUploadsResult><Upload><Key>x</Key><UploadId>1</UploadId></Upload>
            <Upload><Key>y</Key><UploadId>2</UploadId></Upload></ListMultipartUploadsResult>
            """.utf8)))
        #expect(uploads.children("Upload").compactMap { $0.text(of: "Key") } == ["x", "y"])
    }

    @Test func xmlReaderDecodesEntitiesAndRefusesMalformedDocuments() {
        #expect(XMLElement.parse(Array("<a>&lt;&#65;&#x42;&apos;<![CDATA[&x<]]></a>".utf8))?.text == "<AB'&x<")
        #expect(XMLElement.parse(Array("<a><b></a>".utf8)) == nil)
        #expect(XMLElement.parse(Array("<a>&bogus;</a>".utf8)) == nil)
        #expect(XMLElement.parse(Array("<a/>trailing".utf8)) == nil)
        #expect("a<b>&'\"".xmlEscaped == "a&lt;b&gt;&amp;&apos;&quot;")
    }
}
