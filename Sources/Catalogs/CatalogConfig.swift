import Foundation
import Iceberg
import Yams

/// Catalog configuration as users already have it: amoro's own YAML file or PyIceberg's `.pyiceberg.yaml`, with
/// the same `catalog: NAME: {type, uri, warehouse, ...}` layout, plus environment overrides.
///
/// Lookup order: `--config FILE`, `$AMORO_CONFIG`, `~/.config/amoro/config.yaml`, then PyIceberg's files
/// (`$PYICEBERG_HOME/.pyiceberg.yaml`, `~/.pyiceberg.yaml`, `./.pyiceberg.yaml`). Variables
/// `AMORO_CATALOG__<NAME>__<KEY>` set or override a key (`__` between deeper levels becomes `.`, `_` becomes
/// `-`, as PyIceberg maps its `PYICEBERG_CATALOG__…` variables). Without any file, the embedded default is a SQL
/// catalog on SQLite with a local warehouse under `$AMORO_HOME` (default `~/.local/share/amoro`).
package struct CatalogConfig: Sendable, Equatable {
    /// Properties per catalog name, nested YAML keys joined with dots (`s3.endpoint`).
    package var catalogs: [String: [String: String]]
    /// The catalog used when `--catalog` is not given: `default-catalog`, else the only one, else `default`.
    package var defaultCatalog: String?
    /// Where the configuration came from, for messages.
    package var source: String

    package init(catalogs: [String: [String: String]], defaultCatalog: String?, source: String) {
        self.catalogs = catalogs
        self.defaultCatalog = defaultCatalog
        self.source = source
    }

    /// Finds and reads the configuration. An explicit file that is missing or invalid is an error; so is an
    /// invalid file found on the search path.
    package static func load(
        explicitPath: String?, environment: [String: String], homeDirectory: String, currentDirectory: String
    ) throws(ConfigError) -> CatalogConfig {
        var candidates: [(path: String, required: Bool)] = []
        if let explicitPath { candidates.append((explicitPath, true)) }
        if let path = environment["AMORO_CONFIG"], !path.isEmpty { candidates.append((path, true)) }
        candidates.append(("\(homeDirectory)/.config/amoro/config.yaml", false))
        if let pyicebergHome = environment["PYICEBERG_HOME"] { candidates.append(("\(pyicebergHome)/.pyiceberg.yaml", false)) }
        candidates.append(("\(homeDirectory)/.pyiceberg.yaml", false))
        candidates.append(("\(currentDirectory)/.pyiceberg.yaml", false))

        var config: CatalogConfig?
        for candidate in candidates {
            guard FileManager.default.fileExists(atPath: candidate.path) else {
                if candidate.required { throw ConfigError(source: candidate.path, reason: "file not found") }
                continue
            }
            let text: String
            do { text = try String(contentsOfFile: candidate.path, encoding: .utf8) } catch {
                throw ConfigError(source: candidate.path, reason: "cannot be read: \(error.localizedDescription)")
            }
            config = try parse(yaml: text, source: candidate.path)
            break
        }
        var result = config ?? embeddedDefault(environment: environment, homeDirectory: homeDirectory)
        result.applyEnvironment(environment)
        return result
    }

    /// Parses the YAML text of a configuration file.
    package static func parse(yaml text: String, source: String) throws(ConfigError) -> CatalogConfig {
        let document: Any?
        do { document = try Yams.load(yaml: text) } catch {
            throw ConfigError(source: source, reason: "is not valid YAML: \(error)")
        }
        guard let root = (document ?? [String: Any]()) as? [String: Any] else {
            throw ConfigError(source: source, reason: "must be a mapping with a 'catalog' key")
        }
        var catalogs: [String: [String: String]] = [:]
        if let section = root["catalog"] {
            guard let entries = section as? [String: Any] else {
                throw ConfigError(source: source, reason: "'catalog' must map catalog names to their properties")
            }
            for (name, value) in entries {
                guard let properties = value as? [String: Any] else {
                    throw ConfigError(source: source, reason: "catalog '\(name)' must be a mapping of properties")
                }
                var flat: [String: String] = [:]
                try flatten(properties, prefix: "", into: &flat, source: source, catalog: name)
                catalogs[name] = flat
            }
        }
        let defaultCatalog = (root["default-catalog"] as? String) ?? (catalogs.count == 1 ? catalogs.keys.first : nil)
        return CatalogConfig(catalogs: catalogs, defaultCatalog: defaultCatalog, source: source)
    }

    /// The SQLite catalog and warehouse amoro uses when nothing is configured.
    package static func embeddedDefault(environment: [String: String], homeDirectory: String) -> CatalogConfig {
        let home = home(environment: environment, homeDirectory: homeDirectory)
        return CatalogConfig(
            catalogs: ["default": ["type": "sql", "uri": "sqlite:///\(home)/catalog.db", "warehouse": "file://\(home)/warehouse"]],
            defaultCatalog: "default", source: "embedded default (\(home))")
    }

    /// amoro's own directory: `$AMORO_HOME`, else `~/.local/share/amoro` (the embedded catalog, locks).
    package static func home(environment: [String: String], homeDirectory: String) -> String {
        environment["AMORO_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(homeDirectory)/.local/share/amoro"
    }

    /// The properties of the catalog named `name` (or the default one).
    package func properties(of name: String?) throws(ConfigError) -> (name: String, properties: [String: String]) {
        let chosen = name ?? defaultCatalog ?? "default"
        guard let properties = catalogs[chosen] else {
            let known = catalogs.keys.sorted().joined(separator: ", ")
            throw ConfigError(source: source, reason: "has no catalog '\(chosen)' (it defines: \(known.isEmpty ? "none" : known))")
        }
        return (chosen, properties)
    }

    private mutating func applyEnvironment(_ environment: [String: String]) {
        let prefix = "AMORO_CATALOG__"
        for (key, value) in environment where key.hasPrefix(prefix) {
            let parts = key.dropFirst(prefix.count).components(separatedBy: "__")
            guard parts.count >= 2, !parts[0].isEmpty else { continue }
            let name = parts[0].lowercased()
            let property = parts.dropFirst().map { $0.lowercased().replacingOccurrences(of: "_", with: "-") }
                .joined(separator: ".")
            catalogs[name, default: [:]][property] = value
        }
    }

    private static func flatten(_ map: [String: Any], prefix: String, into flat: inout [String: String], source: String,
        catalog: String) throws(ConfigError)
    {
        for (key, value) in map {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case let nested as [String: Any]: try flatten(nested, prefix: name, into: &flat, source: source, catalog: catalog)
            case let text as String: flat[name] = text
            case let flag as Bool: flat[name] = flag ? "true" : "false"
            case let number as Int: flat[name] = String(number)
            case let number as Double: flat[name] = String(number)
            default:
                throw ConfigError(source: source, reason: "catalog '\(catalog)' key '\(name)' must be a scalar value")
            }
        }
    }
}

/// A configuration file is missing or invalid.
package struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    package let source: String
    package let reason: String

    package init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    package var description: String { "configuration \(source) \(reason)" }
}
