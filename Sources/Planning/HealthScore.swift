/// Apache Amoro's 0-100 table health score (Amoro 0.8+): small files weigh 40, equality deletes 40 and position
/// deletes 20; each partition scores its components, the table averages them (rounding up) and sums.
package enum HealthScore {
    package struct Components: Sendable, Equatable {
        package var smallFiles: Int
        package var equalityDeletes: Int
        package var positionDeletes: Int

        package var total: Int { smallFiles + equalityDeletes + positionDeletes }

        package init(smallFiles: Int, equalityDeletes: Int, positionDeletes: Int) {
            self.smallFiles = smallFiles
            self.equalityDeletes = equalityDeletes
            self.positionDeletes = positionDeletes
        }
    }

    static func components(
        files: Int, bytes: Int64, records: Int64, equalityDeleteRecords: Int64, positionDeleteRecords: Int64,
        config: OptimizingConfig
    ) -> Components {
        func normalized(_ value: Double, _ limit: Double) -> Double { limit <= 0 ? 0 : min(value, limit) / limit }
        let minTarget = Double(config.minTargetSize)
        let average = Double(bytes) / Double(files)
        let equalityRatio = records > 0 ? min(1, Double(equalityDeleteRecords) / Double(records)) : 0
        let positionRatio = records > 0 ? min(1, Double(positionDeleteRecords) / Double(records)) : 0
        // Small tables are barely penalised: the factor grows with file count and size.
        let factor = files <= 1 ? 0 : normalized(Double(files), Double(config.minorTriggerFileCount)) * normalized(Double(bytes), minTarget)
        return Components(
            smallFiles: Int((40 - factor * 40 * (1 - normalized(average, minTarget))).rounded(.up)),
            equalityDeletes: Int((40 - factor * 40 * normalized(equalityRatio, config.majorTriggerDuplicateRatio)).rounded(.up)),
            positionDeletes: Int((20 - factor * 20 * normalized(positionRatio, 2 * config.majorTriggerDuplicateRatio)).rounded(.up)))
    }

    /// The table's score from its evaluated partitions; 100 (40 + 40 + 20) when none was evaluated.
    package static func table(_ partitions: [Components]) -> Components {
        guard !partitions.isEmpty else { return Components(smallFiles: 40, equalityDeletes: 40, positionDeletes: 20) }
        func average(_ values: [Int]) -> Int { Int((Double(values.reduce(0, +)) / Double(values.count)).rounded(.up)) }
        return Components(
            smallFiles: average(partitions.map(\.smallFiles)), equalityDeletes: average(partitions.map(\.equalityDeletes)),
            positionDeletes: average(partitions.map(\.positionDeletes)))
    }
}
