/// A spec id and partition tuple, compared by the values' binary forms (floats by their bits, as the spec says
/// partition values are compared): the key that groups files of one partition.
package struct PartitionKey: Hashable, Sendable {
    package let specId: Int
    package let values: [[UInt8]?]

    package init(specId: Int, values: [Literal?]) {
        self.specId = specId
        self.values = values.map { $0?.binary }
    }
}
