import JSONCoding

/// A table's sort order (spec "Sorting"); order id 0 with no fields means unsorted.
package struct SortOrder: Hashable, Sendable {
    package var orderId: Int
    package var fields: [SortField]

    package init(orderId: Int, fields: [SortField]) {
        self.orderId = orderId
        self.fields = fields
    }

    package static let unsorted = SortOrder(orderId: 0, fields: [])
}

/// One sort key: a transformed source column, its direction and where nulls go.
package struct SortField: Hashable, Sendable {
    package enum Direction: String, Sendable { case ascending = "asc", descending = "desc" }
    package enum NullOrder: String, Sendable { case nullsFirst = "nulls-first", nullsLast = "nulls-last" }

    package var sourceId: Int
    package var transform: Transform
    package var direction: Direction
    package var nullOrder: NullOrder
    package var extra: JSON = .object([])

    package init(sourceId: Int, transform: Transform, direction: Direction, nullOrder: NullOrder) {
        self.sourceId = sourceId
        self.transform = transform
        self.direction = direction
        self.nullOrder = nullOrder
    }
}

extension SortOrder {
    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        var fields: [SortField] = []
        for (index, value) in try reader.array("fields").enumerated() {
            let fieldContext = "\(context).fields[\(index)]"
            let field = try FieldReader(value, context: fieldContext)
            guard let direction = SortField.Direction(rawValue: try field.string("direction")) else {
                throw .invalidField("\(fieldContext).direction", "must be asc or desc")
            }
            guard let nullOrder = SortField.NullOrder(rawValue: try field.string("null-order")) else {
                throw .invalidField("\(fieldContext).null-order", "must be nulls-first or nulls-last")
            }
            var sourceId = try field.optionalInt("source-id")
            if sourceId == nil, let first = try field.optionalArray("source-ids")?.first?.int64Value {
                sourceId = Int(exactly: first)
            }
            guard let sourceId else { throw .invalidField("\(fieldContext).source-id", "is missing") }
            var sortField = SortField(sourceId: sourceId, transform: Transform(try field.string("transform")),
                direction: direction, nullOrder: nullOrder)
            sortField.extra = field.unknownMembers(known: ["source-id", "transform", "direction", "null-order"])
            fields.append(sortField)
        }
        self.init(orderId: try reader.int("order-id"), fields: fields)
    }

    package var json: JSON {
        .object([
            ("order-id", .int(Int64(orderId))),
            ("fields", .array(fields.map { field in
                JSON.object([
                    ("transform", .string(field.transform.description)), ("source-id", .int(Int64(field.sourceId))),
                    ("direction", .string(field.direction.rawValue)), ("null-order", .string(field.nullOrder.rawValue)),
                ]).appending(field.extra)
            })),
        ])
    }
}
