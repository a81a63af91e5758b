import JSONCoding

/// An `amoro.plan` document as `amoro compact` reads it back: what to rewrite, checked field by field, so a
/// malformed or foreign document is refused before anything is touched.
package struct PlanDocument: Sendable {
    package struct FileRef: Sendable, Hashable {
        package var path: String
        package var size: Int64
        package var records: Int64
        package var sequenceNumber: Int64
        package var deletes: [String]
    }

    package struct DeleteRef: Sendable, Hashable {
        package var path: String
        package var content: String
        package var removed: Bool
    }

    package struct Task: Sendable {
        package var id: Int
        package var specId: Int
        package var partition: String
        package var rewriteDataFiles: [FileRef]
        package var rewritePositionFiles: [FileRef]
        package var deleteFiles: [DeleteRef]
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var location: String
    package var snapshotId: Int64?
    package var sequenceNumber: Int64?
    package var level: OptimizingLevel?
    package var plannedAtMs: Int64
    package var targetSize: Int64
    package var sortOrder: JSON?
    package var tasks: [Task]
    package var removedDeleteFiles: [String]

    /// Reads a document; every problem is named with the field it is in.
    package init(json: JSON) throws(PlanDocumentError) {
        guard json["kind"] == .string(OptimizingPlan.kind) else {
            throw .invalid("kind", "is \(json["kind"]?.rendered() ?? "missing"), not \"\(OptimizingPlan.kind)\"")
        }
        guard json["version"] == .int(Int64(OptimizingPlan.version)) else {
            throw .invalid("version", "is \(json["version"]?.rendered() ?? "missing"); this amoro reads version \(OptimizingPlan.version)")
        }
        func string(_ value: JSON?, _ field: String) throws(PlanDocumentError) -> String {
            guard let text = value?.stringValue else { throw .invalid(field, "must be a string") }
            return text
        }
        func integer(_ value: JSON?, _ field: String) throws(PlanDocumentError) -> Int64 {
            guard let number = value?.int64Value else { throw .invalid(field, "must be an integer") }
            return number
        }
        func optionalInteger(_ value: JSON?, _ field: String) throws(PlanDocumentError) -> Int64? {
            guard let value, !value.isNull else { return nil }
            return try integer(value, field)
        }
        func array(_ value: JSON?, _ field: String) throws(PlanDocumentError) -> [JSON] {
            guard let values = value?.arrayValue else { throw .invalid(field, "must be an array") }
            return values
        }
        catalog = try string(json["catalog"], "catalog")
        table = try string(json["table"], "table")
        tableUUID = json["table_uuid"]?.stringValue
        location = try string(json["location"], "location")
        snapshotId = try optionalInteger(json["snapshot_id"], "snapshot_id")
        sequenceNumber = try optionalInteger(json["sequence_number"], "sequence_number")
        if let name = json["level"]?.stringValue {
            guard let parsed = OptimizingLevel(rawValue: name) else { throw .invalid("level", "is \(name)") }
            level = parsed
        }
        plannedAtMs = try integer(json["planned_at_ms"], "planned_at_ms")
        targetSize = try integer(json["target_size"], "target_size")
        guard targetSize > 0 else { throw .invalid("target_size", "must be positive") }
        sortOrder = json["sort_order"].flatMap { $0.isNull ? nil : $0 }
        func files(_ value: JSON?, _ field: String) throws(PlanDocumentError) -> [FileRef] {
            var result: [FileRef] = []
            for (index, file) in try array(value, field).enumerated() {
                let name = "\(field)[\(index)]"
                result.append(FileRef(
                    path: try string(file["path"], "\(name).path"), size: try integer(file["size"], "\(name).size"),
                    records: try integer(file["records"], "\(name).records"),
                    sequenceNumber: try integer(file["sequence_number"], "\(name).sequence_number"),
                    deletes: try array(file["deletes"], "\(name).deletes").enumerated().map { (position, delete) throws(PlanDocumentError) in
                        try string(delete, "\(name).deletes[\(position)]")
                    }))
            }
            return result
        }
        var tasks: [Task] = []
        for (index, task) in try array(json["tasks"], "tasks").enumerated() {
            let name = "tasks[\(index)]"
            var deletes: [DeleteRef] = []
            for (position, delete) in try array(task["delete_files"], "\(name).delete_files").enumerated() {
                let field = "\(name).delete_files[\(position)]"
                guard let removed = delete["removed"]?.boolValue else { throw .invalid("\(field).removed", "must be a boolean") }
                deletes.append(DeleteRef(path: try string(delete["path"], "\(field).path"),
                    content: try string(delete["content"], "\(field).content"), removed: removed))
            }
            tasks.append(Task(
                id: Int(try integer(task["id"], "\(name).id")), specId: Int(try integer(task["spec_id"], "\(name).spec_id")),
                partition: try string(task["partition"], "\(name).partition"),
                rewriteDataFiles: try files(task["rewrite_data_files"], "\(name).rewrite_data_files"),
                rewritePositionFiles: try files(task["rewrite_position_files"], "\(name).rewrite_position_files"),
                deleteFiles: deletes))
        }
        self.tasks = tasks
        removedDeleteFiles = try array(json["removed_delete_files"], "removed_delete_files").enumerated().map {
            (index, value) throws(PlanDocumentError) in try string(value, "removed_delete_files[\(index)]")
        }
        if !tasks.isEmpty && snapshotId == nil { throw .invalid("snapshot_id", "is missing but the plan has tasks") }
    }

    /// Every file path the plan names.
    package var allPaths: [String] {
        tasks.flatMap { task in
            task.rewriteDataFiles.map(\.path) + task.rewritePositionFiles.map(\.path) + task.deleteFiles.map(\.path)
        } + removedDeleteFiles
    }
}

/// A plan document is malformed.
package enum PlanDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String, String)

    package var description: String {
        switch self {
        case .invalid(let field, let why): "invalid plan: '\(field)' \(why)"
        }
    }
}
