import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import NIOHTTP1
import ObjectStorage
import Storage
import Synchronization

/// A catalog behind the Iceberg REST API (`type: rest`, `uri: http(s)://…`; apache/iceberg's
/// `rest-catalog-open-api.yaml`).
///
/// The first request fetches `GET /v1/config` (with the `warehouse` property): its `defaults`, then the client's
/// properties, then its `overrides` make the properties the catalog runs with, among them `prefix` and possibly
/// another `uri`. Namespaces are listed level by level (`parent`), every list follows `next-page-token`. The
/// server owns metadata files: a commit sends requirements and updates (`RESTTableChanges`) and the server writes
/// the new metadata file, whose location comes back in its answer. 409 is a conflict (callers reload and retry);
/// 500, 502, 503, 504 or a lost answer leave the commit's outcome unknown (`commitStateUnknown`: callers keep their
/// files). Tables' storage uses the credentials the server vends with each table, in its `config` or per prefix in
/// `storage-credentials` (`ScopedStorage`).
package final class RESTCatalog: Catalog {
    package let name: String
    package let identity: String
    package var storage: any Storage { scopedStorage }
    private let scopedStorage: ScopedStorage
    private let properties: [String: String]
    private let client: RESTClient
    /// The properties after merging the server's configuration, once fetched; guarded by the mutex.
    private let resolved = Mutex<Resolved?>(nil)

    /// Where requests go, once the server's configuration is merged in.
    private struct Resolved: Sendable {
        var properties: [String: String]
        /// `{uri}/v1` or `{uri}/v1/{prefix}`.
        var root: String
        /// The namespace separator in a URL (`%1F` by default).
        var separator: String
    }

    /// Builds the catalog from its properties; nothing is sent until the first call.
    package init(name: String, properties: [String: String]) throws(IcebergError) {
        guard var uri = properties["uri"], uri.hasPrefix("http://") || uri.hasPrefix("https://") else {
            throw .catalog("catalog '\(name)' of type rest needs an http:// or https:// 'uri'")
        }
        while uri.hasSuffix("/") { uri.removeLast() }
        var properties = properties
        properties["uri"] = uri
        self.name = name
        self.properties = properties
        identity = "rest:\(RESTClient.withoutPassword(uri))" + (properties["warehouse"].map { "#\($0)" } ?? "")
        scopedStorage = ScopedStorage(fallback: CatalogFactory.storage(properties: properties))
        client = RESTClient(
            auth: RESTAuth(properties: properties, uri: uri), headers: RESTClient.headers(properties: properties),
            maxAttempts: properties["rest.max-attempts"].flatMap { Int($0) } ?? 4)
    }

    // MARK: - Catalog

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        let routes = try await routes()
        var found = Set<[String]>()
        var pending: [[String]] = [[]]
        while let parent = pending.popLast() {
            let query = parent.isEmpty ? [] : [("parent", encodedNamespace(parent, routes))]
            let pages = try await pages(of: "\(routes.root)/namespaces", query: query, key: "namespaces", what: "list namespaces")
            for value in pages {
                guard let levels = value.arrayValue?.compactMap(\.stringValue), !levels.isEmpty else {
                    throw .catalog("REST catalog \(RESTClient.origin(routes.root)) listed a namespace that is not a list of names")
                }
                // Some servers list every level at the top; keep what lies below the parent, each once.
                guard levels.count > parent.count, Array(levels.prefix(parent.count)) == parent, levels.count <= 64,
                    found.insert(levels).inserted
                else { continue }
                pending.append(levels)
            }
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        let routes = try await routes()
        let values = try await pages(
            of: "\(routes.root)/namespaces/\(encodedNamespace(namespace, routes))/tables", query: [], key: "identifiers",
            what: "list tables of \(namespace.joined(separator: "."))", namespace: namespace)
        return try values.map { value throws(IcebergError) in
            guard let name = value["name"]?.stringValue,
                let levels = value["namespace"]?.arrayValue?.compactMap(\.stringValue)
            else { throw .catalog("REST catalog listed a table identifier without namespace and name") }
            return TableIdentifier(namespace: levels, name: name)
        }.sorted()
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let routes = try await routes()
        let response = try await send(.GET, tableURL(identifier, routes), body: nil, what: "load table \(identifier)")
        guard response.status == 200 else {
            throw failure(response, what: "load table \(identifier)", table: identifier, namespace: identifier.namespace)
        }
        return try loaded(response, identifier: identifier, routes: routes)
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        let routes = try await routes()
        guard let schema = metadata.currentSchema else { throw .catalog("table \(identifier) has no current schema to create") }
        var tableProperties = metadata.properties
        tableProperties["format-version"] = String(metadata.formatVersion)
        var members: [(String, JSON)] = [("name", .string(identifier.name)), ("location", .string(metadata.location)),
            ("schema", schema.json)]
        if let spec = metadata.defaultSpec { members.append(("partition-spec", spec.json)) }
        if let order = metadata.defaultSortOrder { members.append(("write-order", order.json)) }
        members.append(("stage-create", .bool(false)))
        members.append(("properties", .object(tableProperties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        let url = "\(routes.root)/namespaces/\(encodedNamespace(identifier.namespace, routes))/tables"
        let response = try await send(.POST, url, body: .object(members), what: "create table \(identifier)", idempotent: false)
        switch response.status {
        case 200: return try loaded(response, identifier: identifier, routes: routes)
        case 409: throw .tableAlreadyExists(identifier)
        default: throw failure(response, what: "create table \(identifier)", namespace: identifier.namespace)
        }
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        let routes = try await routes()
        let changes = try RESTTableChanges(table: identifier, base: base.metadata, next: metadata)
        let response: RESTClient.Response
        do {
            response = try await client.send(RESTClient.Request(
                method: .POST, url: tableURL(identifier, routes), body: Array(changes.body(for: identifier).rendered().utf8),
                idempotent: false))
        } catch {
            if error.mayHaveReachedServer { throw .commitStateUnknown(identifier, error.message) }
            throw .catalog("cannot commit to \(identifier): \(error.message)")
        }
        switch response.status {
        case 200: return try loaded(response, identifier: identifier, routes: routes)
        case 409: throw .commitConflict(identifier, Self.serverMessage(response) ?? "the REST catalog refused a requirement (409)")
        case 500, 502, 503, 504:
            throw .commitStateUnknown(
                identifier, "the REST catalog answered HTTP \(response.status)" + (Self.serverMessage(response).map { ": \($0)" } ?? ""))
        default: throw failure(response, what: "commit to \(identifier)", table: identifier)
        }
    }

    // MARK: - Configuration

    private func routes() async throws(IcebergError) -> Resolved {
        if let resolved = resolved.withLock({ $0 }) { return resolved }
        let uri = properties["uri"]!
        let warehouse = properties["warehouse"].map { "?warehouse=\(RESTClient.encode($0))" } ?? ""
        let response = try await send(.GET, "\(uri)/v1/config\(warehouse)", body: nil, what: "fetch its configuration")
        guard response.status == 200, let json = try? JSON.parse(response.body) else {
            throw failure(response, what: "fetch its configuration")
        }
        let merged = Self.strings(json["defaults"]).merging(properties) { $1 }.merging(Self.strings(json["overrides"])) { $1 }
        var root = (merged["uri"] ?? uri).trimmingSuffix("/") + "/v1"
        if let prefix = merged["prefix"], !prefix.isEmpty { root += "/\(prefix.trimmingSuffix("/"))" }
        let separator = merged["namespace-separator"].flatMap { $0.removingPercentEncoding } ?? "\u{1F}"
        let resolved = Resolved(properties: merged, root: root, separator: RESTClient.encode(separator))
        scopedStorage.replaceFallback(CatalogFactory.storage(properties: merged))
        self.resolved.withLock { $0 = resolved }
        return resolved
    }

    // MARK: - Requests and answers

    private func send(_ method: HTTPMethod, _ url: String, body: JSON?, what: String, idempotent: Bool = true)
        async throws(IcebergError) -> RESTClient.Response
    {
        do {
            return try await client.send(RESTClient.Request(
                method: method, url: url, body: body.map { Array($0.rendered().utf8) }, idempotent: idempotent))
        } catch {
            throw .catalog("cannot \(what): \(error.message)")
        }
    }

    /// Every item under `key` across the pages of a list (`pageToken` in, `next-page-token` out).
    private func pages(of url: String, query: [(String, String)], key: String, what: String, namespace: [String]? = nil)
        async throws(IcebergError) -> [JSON]
    {
        var items: [JSON] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            let parameters = query + (token.map { [("pageToken", RESTClient.encode($0))] } ?? [])
            let full = url + (parameters.isEmpty ? "" : "?" + parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))
            let response = try await send(.GET, full, body: nil, what: what)
            guard response.status == 200, let json = try? JSON.parse(response.body) else {
                throw failure(response, what: what, namespace: namespace)
            }
            items += json[key]?.arrayValue ?? []
            token = json["next-page-token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw .catalog("cannot \(what): the REST catalog repeated page token '\(token)'")
            }
        } while token != nil
        return items
    }

    /// A load-table answer (`LoadTableResult`): the metadata, its location and the table's storage configuration.
    private func loaded(_ response: RESTClient.Response, identifier: TableIdentifier, routes: Resolved) throws(IcebergError)
        -> LoadedTable
    {
        guard let json = try? JSON.parse(response.body), let metadataJSON = json["metadata"] else {
            throw .catalog("the REST catalog's answer for \(identifier) is not a table (no 'metadata')")
        }
        guard let location = json["metadata-location"]?.stringValue else {
            throw .catalog("the REST catalog's answer for \(identifier) has no 'metadata-location'")
        }
        let metadata: TableMetadata
        do { metadata = try TableMetadata(json: metadataJSON) } catch { throw .invalidFile(location, error.description) }
        let tableProperties = Self.strings(json["config"])
        if tableProperties.keys.contains(where: { $0.hasPrefix("s3.") || $0.hasPrefix("client.") }) {
            // Vended storage configuration: this table's files use it, over the catalog's own, wherever the table
            // puts them.
            let storage = CatalogFactory.storage(properties: routes.properties.merging(tableProperties) { $1 })
            let roots = [metadata.location] + ["write.data.path", "write.metadata.path", "write.object-storage.path"]
                .compactMap { metadata.properties[$0] }
            for root in roots { scopedStorage.register(root, storage: storage) }
        }
        // The newer form: credentials per location prefix (`storage-credentials`), the longest prefix winning.
        for credential in json["storage-credentials"]?.arrayValue ?? [] {
            guard let prefix = credential["prefix"]?.stringValue else { continue }
            let properties = routes.properties.merging(tableProperties) { $1 }.merging(Self.strings(credential["config"])) { $1 }
            scopedStorage.register(prefix, storage: CatalogFactory.storage(properties: properties))
        }
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// The string members of a JSON object.
    private static func strings(_ object: JSON?) -> [String: String] {
        var strings: [String: String] = [:]
        for (key, value) in object?.objectValue ?? [] { if let text = value.stringValue { strings[key] = text } }
        return strings
    }

    /// The error for an unexpected answer, from the server's `{"error": {"message", "type", "code"}}`.
    private func failure(_ response: RESTClient.Response, what: String, table: TableIdentifier? = nil, namespace: [String]? = nil)
        -> IcebergError
    {
        let type = (try? JSON.parse(response.body))?["error"]?["type"]?.stringValue ?? ""
        if response.status == 404 {
            if let table, type != "NoSuchNamespaceException" { return .tableNotFound(table) }
            if let namespace { return .namespaceNotFound(namespace) }
        }
        let message = Self.serverMessage(response).map { ": \($0)" } ?? ""
        let hint = response.status == 401 || response.status == 403 ? " (check the catalog's token or credential)" : ""
        return .catalog("cannot \(what): the REST catalog answered HTTP \(response.status)\(message)\(hint)")
    }

    private static func serverMessage(_ response: RESTClient.Response) -> String? {
        guard let json = try? JSON.parse(response.body) else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        let error = json["error"]
        let message = error?["message"]?.stringValue ?? error?.stringValue
        let type = error?["type"]?.stringValue
        return [type, message].compactMap { $0 }.joined(separator: ": ").nilIfEmpty
    }

    private func tableURL(_ identifier: TableIdentifier, _ routes: Resolved) -> String {
        "\(routes.root)/namespaces/\(encodedNamespace(identifier.namespace, routes))/tables/\(RESTClient.encode(identifier.name))"
    }

    private func encodedNamespace(_ levels: [String], _ routes: Resolved) -> String {
        levels.map(RESTClient.encode).joined(separator: routes.separator)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }

    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
