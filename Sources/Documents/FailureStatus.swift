import Execution
import Iceberg
import Paimon

/// The `status` of a result document for a table whose run threw: `locked` when another run held the table,
/// `conflict` when running again later may succeed (a refused or lost commit), `failed` otherwise.
package enum FailureStatus: String, Sendable {
    case conflict, locked, failed

    package init(_ failure: any Error) {
        if failure is TableLocked {
            self = .locked
        } else if let error = failure as? AmoroError, case .conflict = error {
            self = .conflict
        } else if let error = failure as? AmoroError, case .paimon(let inner) = error, inner.isConflict {
            self = .conflict
        } else if let error = failure as? AmoroError, case .iceberg(let inner) = error, inner.isRetryable {
            self = .conflict
        } else {
            self = .failed
        }
    }
}

extension Result where Failure == any Error {
    /// The run's error, nil when it finished.
    package var failure: (any Error)? { if case .failure(let error) = self { error } else { nil } }

    /// A result document's status text: the finished run's own (`own`), else what its failure means.
    package func statusText(_ own: (Success) -> String) -> String {
        switch self {
        case .success(let value): own(value)
        case .failure(let error): FailureStatus(error).rawValue
        }
    }
}
