import Foundation
import JSONCoding

/// The terminal form of an `amoro.scan` document.
enum ScanRenderer {
    static func render(_ document: JSON) -> String {
        func int(_ value: JSON?) -> String { value?.int64Value.map { String($0) } ?? "-" }
        let health = document["health"]
        let totals = document["totals"]
        let lines = [
            "\(document["table"]?.stringValue ?? "?")  snapshot \(int(document["snapshot_id"]))  format v\(int(document["format_version"]))",
            "health \(int(health?["score"]))/100 (small files \(int(health?["small_files"]))/40, equality deletes \(int(health?["equality_deletes"]))/40, position deletes \(int(health?["position_deletes"]))/20)",
            "pending: \(document["pending"]?["level"]?.stringValue ?? "nothing") in \(int(document["pending"]?["partitions"])) of \(int(totals?["partitions"])) partitions; \(int(totals?["data_files"])) data files, \(ByteCount.format(totals?["data_bytes"]?.int64Value ?? 0)), \(int(totals?["position_delete_files"])) position / \(int(totals?["equality_delete_files"])) equality delete files, \(int(totals?["deletion_vectors"])) deletion vectors",
        ]
        var table = TextTable(["partition", "fragments", "undersized", "segments", "pos del", "eq del", "pending", "why"])
        for partition in document["partitions"]?.arrayValue ?? [] {
            let files = partition["data_files"]
            let deletes = partition["deletes"]
            let pending = partition["pending"]
            table.add([
                partition["partition"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "(unpartitioned)",
                int(files?["fragment"]?["files"]), int(files?["undersized_segment"]?["files"]), int(files?["segment"]?["files"]),
                int(deletes?["position"]?["files"]), int(deletes?["equality"]?["files"]),
                pending?["level"]?.stringValue ?? "-", pending?["reasons"]?.arrayValue?.first?.stringValue ?? "",
            ])
        }
        return (lines + [table.rendered(), ""]).joined(separator: "\n")
    }
}

/// Human byte counts (KiB, MiB, GiB).
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
