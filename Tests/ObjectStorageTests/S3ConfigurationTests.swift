import ObjectStorage
import Testing

/// Where endpoint, region, addressing and credentials come from, and that secrets never print.
struct S3ConfigurationTests {
    static let profiles = AWSProfileFiles.load(environment: [:], homeDirectory: "/home/u") { path in
        switch path {
        case "/home/u/.aws/credentials":
            """
            # comment
            [default]
            aws_access_key_id = PROFILEDEFAULT
            aws_secret_access_key = profile-default-secret

            [work]
            aws_access_key_id=PROFILEWORK
            aws_secret_access_key=profile-work-secret
            aws_session_token = work-token
            """
        case "/home/u/.aws/config":
            """
            [default]
            region = eu-west-1
            [profile work]
            region = ap-south-1
            endpoint_url = http://127.0.0.1:9000
            """
        default: nil
        }
    }

    @Test func catalogPropertiesComeFirst() {
        let configuration = S3Configuration.resolve(
            properties: [
                "s3.endpoint": "http://localhost:8333/", "s3.access-key-id": "PROPERTYKEY",
                "s3.secret-access-key": "property-secret", "s3.session-token": "property-token", "s3.region": "us-west-2",
                "s3.path-style-access": "false",
            ],
            environment: ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_REGION": "eu-central-1"],
            profiles: Self.profiles)
        #expect(configuration.endpoint == "http://localhost:8333")
        #expect(configuration.region == "us-west-2")
        #expect(configuration.pathStyle == false)
        #expect(configuration.credentials?.accessKeyId == "PROPERTYKEY")
        #expect(configuration.credentials?.sessionToken == "property-token")
        #expect(configuration.credentials?.source == "catalog properties")
    }

    @Test func environmentComesBeforeProfiles() {
        let configuration = S3Configuration.resolve(
            properties: [:],
            environment: [
                "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                "AWS_REGION": "eu-central-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
            ],
            profiles: Self.profiles)
        #expect(configuration.credentials == AWSCredentials(
            accessKeyId: "ENVKEY", secretAccessKey: "env-secret", sessionToken: "env-token", source: "environment"))
        #expect(configuration.region == "eu-central-1")
        #expect(configuration.endpoint == "http://127.0.0.1:4566")
        #expect(configuration.pathStyle, "an endpoint on an IP address needs path-style addressing")
    }

    @Test func profilesComeLast() {
        let fallback = S3Configuration.resolve(properties: [:], environment: [:], profiles: Self.profiles)
        #expect(fallback.credentials?.accessKeyId == "PROFILEDEFAULT")
        #expect(fallback.credentials?.source == "profile default")
        #expect(fallback.region == "eu-west-1")
        #expect(fallback.endpoint == nil && !fallback.pathStyle)

        let work = S3Configuration.resolve(properties: [:], environment: ["AWS_PROFILE": "work"], profiles: Self.profiles)
        #expect(work.credentials?.accessKeyId == "PROFILEWORK")
        #expect(work.credentials?.sessionToken == "work-token")
        #expect(work.region == "ap-south-1")
        #expect(work.endpoint == "http://127.0.0.1:9000")

        let none = S3Configuration.resolve(properties: [:], environment: [:], profiles: AWSProfileFiles(credentials: [:], config: [:]))
        #expect(none.credentials == nil)
        #expect(none.region == "us-east-1")
    }

    @Test func halfAKeyPairIsNotUsed() {
        let configuration = S3Configuration.resolve(
            properties: ["s3.access-key-id": "ONLYID"], environment: [:], profiles: Self.profiles)
        #expect(configuration.credentials?.accessKeyId == "PROFILEDEFAULT")
    }

    @Test func secretsNeverPrint() {
        let configuration = S3Configuration.resolve(
            properties: ["s3.access-key-id": "AKIAEXAMPLE", "s3.secret-access-key": "s3cr3t", "s3.session-token": "t0k3n"],
            environment: [:], profiles: Self.profiles)
        let credentials = configuration.credentials!
        for text in [
            configuration.description, String(describing: credentials), String(reflecting: credentials),
            "\(credentials)", String(describing: configuration), { var out = ""; dump(credentials, to: &out); return out }(),
        ] {
            #expect(!text.contains("s3cr3t") && !text.contains("t0k3n") && !text.contains("AKIAEXAMPLE"), "\(text)")
        }
        #expect(credentials.description.contains("AKIA…"))
    }

    @Test func endpointsParse() {
        #expect(EndpointURL("http://127.0.0.1:8333")?.hostHeader == "127.0.0.1:8333")
        #expect(EndpointURL("https://s3.us-east-1.amazonaws.com")?.hostHeader == "s3.us-east-1.amazonaws.com")
        #expect(EndpointURL("https://minio.local:443/")?.hostHeader == "minio.local")
        #expect(EndpointURL("ftp://x") == nil)
        #expect(EndpointURL("http://host:notaport") == nil)
    }
}

/// How a bucket and key become a URL and a signed path.
struct S3AddressingTests {
    static func client(endpoint: String?, pathStyle: Bool, region: String = "eu-west-1") -> S3Client {
        S3Client(configuration: S3Configuration(endpoint: endpoint, region: region, pathStyle: pathStyle, credentials: nil))
    }

    @Test func awsIsVirtualHosted() {
        let address = Self.client(endpoint: nil, pathStyle: false).address(bucket: "lake", key: "wh/a b/x=1.parquet")
        #expect(address.base == "https://lake.s3.eu-west-1.amazonaws.com")
        #expect(address.host == "lake.s3.eu-west-1.amazonaws.com")
        #expect(address.path == "/wh/a%20b/x%3D1.parquet")
    }

    @Test func dottedBucketsAndPathStyleEndpointsPutTheBucketInThePath() {
        let dotted = Self.client(endpoint: nil, pathStyle: false).address(bucket: "my.lake", key: "k")
        #expect(dotted.host == "s3.eu-west-1.amazonaws.com" && dotted.path == "/my.lake/k")
        let local = Self.client(endpoint: "http://127.0.0.1:9000", pathStyle: true).address(bucket: "lake", key: "k/")
        #expect(local.base == "http://127.0.0.1:9000" && local.host == "127.0.0.1:9000" && local.path == "/lake/k/")
        let bucketOnly = Self.client(endpoint: "http://127.0.0.1:9000", pathStyle: true).address(bucket: "lake", key: "")
        #expect(bucketOnly.path == "/lake")
    }

    @Test func customEndpointsCanBeVirtualHosted() {
        let address = Self.client(endpoint: "https://minio.example:9443", pathStyle: false).address(bucket: "lake", key: "k")
        #expect(address.base == "https://lake.minio.example:9443" && address.host == "lake.minio.example:9443")
        #expect(address.path == "/k")
    }
}
