import Documents
import Foundation
import Execution
import JSONCoding
import Planning
import Testing
import TestSupport

/// Decoding is the first check of untrusted documents (plans for `compact`, audits for `--from-audit`): every
/// member of a representative document, at every depth, is removed, repeated, and replaced by values of every
/// JSON type and by extremes; each mutant is either refused with a `DocumentError` naming the mutated member, or
/// read into a value that encodes and decodes to itself. `DocumentFuzzInteropTests` runs the accepted mutants
/// of real plans and audits against a real table.
struct DocumentDecodingTests {
    /// Decodes every mutant; returns how many were refused and how many read.
    @discardableResult
    static func check<D: Document>(_ document: D, freeForm: [String] = []) -> (refused: Int, read: Int) {
        var counts = (refused: 0, read: 0)
        for mutant in DocumentMutations.mutants(of: document.json) {
            do {
                let read = try D(json: mutant.document)
                counts.read += 1
                #expect(try D(json: read.json) == read, "\(D.kind) \(mutant): read back differently")
            } catch {
                counts.refused += 1
                guard case .invalid(let kind, let field, _) = error else { continue }
                #expect(kind == D.kind)
                // The error names the mutated member, or (for a removed or emptied one) a member inside it or one
                // that needs it; a free-form member (a sort order, partition values) is named as a whole.
                let named = field == mutant.path || field.hasPrefix(mutant.path + ".") || field.hasPrefix(mutant.path + "[")
                    || freeForm.contains { mutant.path.hasPrefix($0) && field.hasPrefix($0) }
                    || mutant.edit == "removed" || mutant.path.hasSuffix("]") || mutant.path.hasSuffix("input_bytes")
                #expect(named, "\(D.kind) \(mutant): refused as '\(field)'")
            }
        }
        return counts
    }

    @Test func mutatedPlansAreRefusedOrReadConsistently() throws {
        var random = SeededGenerator(seed: 7)
        var plan = DocumentRoundTripTests.plan(&random)
        while plan.tasks.isEmpty || plan.tasks.allSatisfy(\.rewriteDataFiles.isEmpty) { plan = DocumentRoundTripTests.plan(&random) }
        plan.sortOrder = try OptimizingPlan(json: DocumentRoundTripTests.plan(&random).json).sortOrder
        let counts = Self.check(plan, freeForm: ["sort_order"])
        #expect(counts.refused > 300 && counts.read > 20, "\(counts)")
    }

    @Test func mutatedAuditsAreRefusedOrReadConsistently() throws {
        let expire = ExpireResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: .dryRun,
            details: DocumentRoundTripTests.expireDetails, error: nil, durationMs: 3)
        let orphans = CleanOrphansResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: .dryRun,
            details: DocumentRoundTripTests.orphanDetails, error: nil, durationMs: 8)
        for counts in [Self.check(expire), Self.check(orphans)] { #expect(counts.refused > 200 && counts.read > 10, "\(counts)") }
        // An audit is a dry run's document only.
        var expired = expire
        expired.status = ExpireResultDocument.Status.expired
        #expect(throws: DocumentError.self) { try expired.audit() }
        #expect(try expire.audit().snapshotIds == [1, -9])
        #expect(try orphans.audit().deleteFiles == ["/w/db/t/data/d.parquet"])
    }

    @Test func resultDocumentsRefuseMutantsTheSameWay() throws {
        Self.check(CompactResultDocument(catalog: "default", table: "db.t", status: .committed, level: .minor, plannedSnapshotId: 1,
            snapshotId: 2, counts: DocumentRoundTripTests.counts, error: nil, durationMs: 5))
    }

    @Test func typedErrorsNameTheMember() throws {
        var random = SeededGenerator(seed: 3)
        var plan = DocumentRoundTripTests.plan(&random)
        while plan.tasks.isEmpty { plan = DocumentRoundTripTests.plan(&random) }
        let text = plan.json.rendered()
        func error(_ edited: String) -> DocumentError? {
            do { _ = try OptimizingPlan(json: try JSON.parse(edited)) } catch let error as DocumentError { return error } catch {}
            return nil
        }
        #expect(error(text.replacingOccurrences(of: "\"target_size\":", with: "\"target_size\":-")) == .invalid(
            kind: "amoro.plan", field: "target_size", why: "is -\(plan.targetSize), outside 1...9223372036854775807"))
        #expect(error(text.replacingOccurrences(of: "\"kind\":\"amoro.plan\"", with: "\"kind\":\"amoro.scan\""))?.description
            == #"invalid amoro.plan document: 'kind' is "amoro.scan", not "amoro.plan""#)
        #expect(error(text.replacingOccurrences(of: "\"tasks\":[{\"id\":0", with: "\"tasks\":[{\"id\":\"0\""))
            == .invalid(kind: "amoro.plan", field: "tasks[0].id", why: "must be an integer"))
        #expect(error(text.replacingOccurrences(of: "\"catalog\":", with: "\"catalog\":\"x\",\"catalog\":"))
            == .invalid(kind: "amoro.plan", field: "catalog", why: "appears twice"))
        // A member a later amoro adds (within version 1) is ignored.
        let later = text.replacingOccurrences(of: "\"tasks\":[{", with: "\"new_member\":[1],\"tasks\":[{\"also_new\":{},")
        #expect(try OptimizingPlan(json: try JSON.parse(later)) == plan)
    }
}
