import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// amoro's numbers in Prometheus's text exposition format, for node_exporter's textfile collector. Each cron run is
/// its own process, so a run reads the file back and changes only its own tables' samples: one file describes
/// every table and command. Writers take turns on a lock file beside it; the file is replaced by a rename, so a
/// reader never sees half of it.
enum MetricsFile {
    /// One metric family: its name, type and help text.
    struct Family: Sendable {
        let name: String
        let type: String
        let help: String
    }

    static let families: [Family] = [
        Family(name: "amoro_table_data_files", type: "gauge",
            help: "Live data files by Apache Amoro's size class (fragment, undersized, segment), at the last scan."),
        Family(name: "amoro_table_data_bytes", type: "gauge", help: "Bytes of live data files, at the last scan."),
        Family(name: "amoro_table_delete_files", type: "gauge",
            help: "Live delete files by kind (position, equality, deletion_vector), at the last scan."),
        Family(name: "amoro_table_health_score", type: "gauge", help: "Apache Amoro's 0-100 table health score, at the last scan."),
        Family(name: "amoro_table_manifests", type: "gauge",
            help: "Manifests of the current snapshot by content (data, deletes), at the last scan."),
        Family(name: "amoro_rewritten_bytes_total", type: "counter", help: "Bytes of data files rewritten by committed runs."),
        Family(name: "amoro_last_success_timestamp_seconds", type: "gauge",
            help: "Unix time a command last finished a table without error (level is the optimizing level, if any)."),
        Family(name: "amoro_last_run_duration_seconds", type: "gauge", help: "How long a command's last run on a table took."),
        Family(name: "amoro_failures_total", type: "counter", help: "Runs of a command that failed on a table."),
        Family(name: "amoro_locked_total", type: "counter", help: "Runs of a command that skipped a table another run held locked."),
    ]

    /// A sample's identity: metric name and labels, sorted by label name.
    struct Key: Hashable, Comparable, Sendable {
        let name: String
        let labels: [Label]

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = labels.map { Label(name: $0.0, value: Self.printable($0.1)) }.sorted { $0.name < $1.name }
        }

        /// A label value with every control character but the line feed (which the text format escapes) replaced by
        /// U+FFFD, so that no value can break a line of the file, and a value read back equals the one written.
        static func printable(_ value: String) -> String {
            var result = ""
            for scalar in value.unicodeScalars {
                let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                result.unicodeScalars.append(control && scalar != "\n" ? "\u{FFFD}" : scalar)
            }
            return result
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            func text(_ key: Key) -> String { key.labels.map { "\($0.name)\u{0}\($0.value)" }.joined(separator: "\u{1}") }
            return (lhs.name, text(lhs)) < (rhs.name, text(rhs))
        }
    }

    struct Label: Hashable, Sendable {
        let name: String
        let value: String
    }

    /// What one table's run adds to the file.
    struct Record: Sendable {
        var catalog: String
        var table: String
        var command: String
        var outcome: TableOutcome
        var durationSeconds: Double
        var finishedAtSeconds: Double
    }

    // MARK: - Merging

    /// Applies one run's record: gauges are replaced, counters grow.
    static func merge(_ record: Record, into samples: inout [Key: Double]) {
        let table = [("catalog", record.catalog), ("table", record.table)]
        let command = table + [("command", record.command)]
        let outcome = record.outcome
        if let health = outcome.health {
            for (value, size) in [(health.fragmentFiles, "fragment"), (health.undersizedFiles, "undersized"), (health.segmentFiles, "segment")] {
                samples[Key("amoro_table_data_files", table + [("class", size)])] = Double(value)
            }
            samples[Key("amoro_table_data_bytes", table)] = Double(health.dataBytes)
            for (value, kind) in [(health.positionDeleteFiles, "position"), (health.equalityDeleteFiles, "equality"),
                (health.deletionVectors, "deletion_vector")]
            {
                samples[Key("amoro_table_delete_files", table + [("kind", kind)])] = Double(value)
            }
            samples[Key("amoro_table_health_score", table)] = Double(health.score)
            for (value, content) in [(health.dataManifests, "data"), (health.deleteManifests, "deletes")] {
                samples[Key("amoro_table_manifests", table + [("content", content)])] = Double(value)
            }
        }
        let level = command + [("level", outcome.level ?? "")]
        switch outcome.status {
        case .done, .nothingToDo:
            samples[Key("amoro_last_success_timestamp_seconds", level)] = record.finishedAtSeconds
            if outcome.status == .done, let bytes = outcome.bytesIn, outcome.filesOut != nil {
                samples[Key("amoro_rewritten_bytes_total", level), default: 0] += Double(bytes)
            }
        case .failed:
            samples[Key("amoro_failures_total", command), default: 0] += 1
        case .locked:
            samples[Key("amoro_locked_total", command), default: 0] += 1
        case .dryRun:
            break
        }
        if outcome.status != .locked {
            samples[Key("amoro_last_run_duration_seconds", command)] = record.durationSeconds
        }
    }

    // MARK: - Text format

    /// The exposition text: every family with samples, each with its HELP and TYPE lines, samples sorted.
    static func render(_ samples: [Key: Double]) -> String {
        var text = ""
        for family in families {
            let members = samples.keys.filter { $0.name == family.name }.sorted()
            guard !members.isEmpty else { continue }
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for key in members {
                let labels = key.labels.map { "\($0.name)=\"\(escape($0.value))\"" }.joined(separator: ",")
                text += "\(key.name)\(labels.isEmpty ? "" : "{\(labels)}") \(format(samples[key]!))\n"
            }
        }
        return text
    }

    /// The samples of a file this type wrote; lines of unknown families and lines that do not parse are dropped.
    static func parse(_ text: String) -> [Key: Double] {
        let known = Set(families.map(\.name))
        var samples: [Key: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if let (key, value) = parseSample(Substring(line)), known.contains(key.name) { samples[key] = value }
        }
        return samples
    }

    private static func parseSample(_ line: Substring) -> (Key, Double)? {
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        rest = rest.dropFirst(name.count)
        var labels: [(String, String)] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    guard character == "\\" else { value.append(character); continue }
                    guard let escaped = rest.first else { return nil }
                    rest = rest.dropFirst()
                    value.append(escaped == "n" ? "\n" : escaped)
                }
                guard !rest.isEmpty else { return nil }
                rest = rest.dropFirst()
                labels.append((String(labelName.trimmingCharacters(in: .whitespaces)), value))
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { return nil }
            }
            rest = rest.dropFirst()
        }
        guard !name.isEmpty, let value = Double(rest.trimmingCharacters(in: .whitespaces)) else { return nil }
        return (Key(String(name), labels), value)
    }

    /// A label value in the text format: backslash, quote and line feed escaped, the only escapes it has
    /// (control characters never reach here: `Key.printable`).
    private static func escape(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    // MARK: - The file

    /// Reads the file (if any), merges `records` and replaces it atomically, under the lock `<path>.lock`.
    static func update(path: String, with records: [Record]) throws {
        let lock = try FileLock.acquire(path: path + ".lock", wait: true)
        defer { lock?.release() }
        var samples: [Key: Double] = [:]
        if FileManager.default.fileExists(atPath: path) {
            do { samples = parse(try String(contentsOfFile: path, encoding: .utf8)) } catch {
                throw MetricsFileError(description: "cannot read the metrics file \(path): \(error.localizedDescription)")
            }
        }
        for record in records { merge(record, into: &samples) }
        let url = URL(fileURLWithPath: path)
        // node_exporter reads *.prom files only: the temporary name never matches while it is being written.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(render(samples).utf8).write(to: temporary)
            if rename(temporary.path, path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw MetricsFileError(description: "cannot replace the metrics file \(path): \(reason)")
            }
        } catch let error as MetricsFileError {
            throw error
        } catch {
            throw MetricsFileError(description: "cannot write the metrics file \(path): \(error.localizedDescription)")
        }
    }
}

/// The metrics file could not be read or written.
struct MetricsFileError: Error, CustomStringConvertible {
    let description: String
}
