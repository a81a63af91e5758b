import Foundation
import JSONCoding
import Logging

/// swift-log's handler for amoro: one line per record on standard error, the message alone (human) or a JSON object
/// with the time, level, message and metadata (json). Numbers in metadata stay numbers in JSON.
struct StandardErrorLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let format: LogFormat

    init(format: LogFormat, level: Logger.Level) {
        self.format = format
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        printError(Self.line(format: format, level: event.level, message: "\(event.message)", metadata: merged, date: Date()))
    }

    /// One record as it is written (without the newline).
    static func line(format: LogFormat, level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        switch format {
        case .human:
            return message
        case .json:
            var members: [(String, JSON)] = [
                ("time", .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))),
                ("level", .string(level.rawValue)), ("message", .string(message)),
            ]
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { members.append((key, json(value))) }
            return JSON.object(members).rendered()
        }
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSON {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let value):
            if let number = value as? any BinaryInteger, let exact = Int64(exactly: number) { return .int(exact) }
            if let number = value as? Double { return .double(number) }
            return .string(value.description)
        case .array(let values): return .array(values.map(json))
        case .dictionary(let values): return .object(values.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
        }
    }
}
