import Foundation
import JSONCoding
import Testing
import TestSupport

/// Plans are untrusted input: every edit a careful user or an attacker with write access to a plan could make is
/// either refused before anything is written (exit 65, the table and its directory unchanged) or, where the plan
/// only chose among valid options, committed with exactly the rows PyIceberg (sidequery) and DuckDB read before.
/// The table is partitioned by region, with equality deletes, so tasks, partitions and delete files all matter.
@Suite(.enabled(if: Peers.isAvailable)) struct UntrustedPlanInteropTests {
    /// Edits a plan (stdin) as `argv[1]` says, with `argv[2]` as the edit's argument; prints the edited plan.
    static let edit = #"""
        import json, sys, random
        plan = json.loads(sys.stdin.read())
        edit, arg = sys.argv[1], sys.argv[2]
        tasks = plan["tasks"]
        def files(t): return t["rewrite_data_files"]
        if edit == "partition":
            tasks[0]["partition"] = arg
        elif edit == "move":
            a = next(t for t in tasks if files(t))
            b = next(t for t in tasks if t is not a and t["partition"] != a["partition"])
            files(b).append(files(a).pop())
        elif edit == "twice":
            t = next(t for t in tasks if files(t))
            files(t).append(dict(files(t)[0]))
        elif edit == "twice-aliased":
            t = next(t for t in tasks if files(t))
            alias = dict(files(t)[0])
            head, name = alias["path"].rsplit("/", 1)
            alias["path"] = head + "/../" + head.rsplit("/", 1)[1] + "/" + name
            files(t).append(alias)
        elif edit == "drop-uuid":
            del plan["table_uuid"]
        elif edit == "set":
            key, value = arg.split("=", 1)
            plan[key] = json.loads(value)
        elif edit == "size":
            t = next(t for t in tasks if files(t))
            files(t)[0]["size"] = int(arg)
        elif edit == "keep-one-file-per-task":
            # Rewrite fewer files than the deletes apply to, and still ask for every delete file to go.
            for t in tasks:
                del files(t)[1:]
                t["rewrite_position_files"] = []
            plan["removed_delete_files"] = sorted({d["path"] for t in tasks for d in t["delete_files"]})
        elif edit == "random":
            rng = random.Random(int(arg))
            for _ in range(rng.randint(1, 3)):
                choice = rng.randrange(9)
                t = rng.choice(tasks)
                if choice == 0 and files(t):
                    files(t).append(dict(rng.choice(files(t))))
                elif choice == 1 and files(t):
                    files(t).pop(rng.randrange(len(files(t))))
                elif choice == 2 and len(tasks) > 1 and files(t):
                    rng.choice([u for u in tasks if u is not t])["rewrite_data_files"].append(files(t).pop())
                elif choice == 3:
                    t["partition"] = rng.choice(["../../escape", "region=zz", "", "region=eu/../../x"])
                elif choice == 4:
                    plan["removed_delete_files"] = sorted({d["path"] for u in tasks for d in u["delete_files"]})
                elif choice == 5:
                    plan["target_size"] = rng.choice([1, 1 << 20, 1 << 40, -5, plan["target_size"]])
                elif choice == 6 and files(t):
                    files(t)[0]["path"] = files(t)[0]["path"].replace("/data/", "/data/sub/../")
                elif choice == 7:
                    t["rewrite_position_files"] += files(t)[:1]
                else:
                    rng.shuffle(tasks)
        print(json.dumps(plan))
        """#

    struct Table {
        let root: URL
        let config: String

        init() throws {
            root = try Fixtures.makeTemporaryDirectory("amoro-untrusted-plan")
            try Peers.sidequery(CompactInteropTests.makeEqualityDeletes, arguments: [root.path, "6000"])
            config = try CompactInteropTests.config(root)
        }

        func fingerprint() throws -> JSON {
            try JSON.parse(Array(try Peers.sidequery(CompactInteropTests.fingerprint, arguments: [root.path, "db.upserts"])))
        }

        func plan() throws -> String {
            let result = try AmoroBinary.run(["plan", "--config", config, "db.upserts", "--level", "full"])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }

        func edited(_ plan: String, _ edit: String, _ argument: String = "") throws -> String {
            String(decoding: try Peers.python(UntrustedPlanInteropTests.edit, arguments: [edit, argument], input: Data(plan.utf8)),
                as: UTF8.self)
        }

        func compact(_ plan: String) throws -> AmoroBinary.Result {
            try AmoroBinary.run(["compact", "--config", config], input: plan)
        }

        /// Every file under the warehouse (a partition of `../../escape` would land in it, beside the table).
        func files() throws -> [String] { try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() }
    }

    /// Each edit from the issue's list is refused with exit 65 and a message naming what is wrong; nothing is
    /// written anywhere.
    @Test(arguments: [
        ("partition", "../../escape", "partition"),
        ("partition", "region=zz", "partition"),
        ("move", "", "mixes partitions"),
        ("twice", "", "names already"),
        ("twice-aliased", "", "names already"),
        ("drop-uuid", "", "table_uuid"),
        ("set", "target_size=1", "target_size"),
        ("set", "target_size=9223372036854775807", "target_size"),
        ("set", #"sort_order={"order-id": 1, "fields": [{"source-id": 99}]}"#, "sort_order"),
        ("set", #"sort_order={"order-id": 5, "fields": [{"source-id": 1, "transform": "identity", "direction": "asc", "null-order": "nulls-first"}]}"#, "sort_order"),
        ("size", "9223372036854775807", "bytes"),
    ])
    func editedPlansAreRefusedAndNothingIsWritten(edit: String, argument: String, message: String) throws {
        let table = try Table()
        defer { try? FileManager.default.removeItem(at: table.root) }
        let plan = try table.plan()
        let before = try table.files()
        let result = try table.compact(try table.edited(plan, edit, argument))
        #expect(result.status == 65, "\(edit) \(argument): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(edit): \(result.stderr)")
        #expect(try table.files() == before, "\(edit): nothing was written")
        // The untouched plan still commits afterwards.
        #expect(try table.compact(plan).status == 0)
    }

    /// A plan that asks to remove delete files whose data files it does not all rewrite: the commit goes ahead
    /// (the rewritten files are correct) but those delete files stay, so no deleted row comes back.
    @Test func deleteFilesStayUnlessEveryFileTheyApplyToIsRewritten() throws {
        let table = try Table()
        defer { try? FileManager.default.removeItem(at: table.root) }
        let before = try table.fingerprint()
        let plan = try table.edited(try table.plan(), "keep-one-file-per-task")
        let result = try table.compact(plan)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSON.parse(result.stdout)
        #expect(document["status"] == .string("committed"))
        let kept = document["delete_files_kept"]?.arrayValue ?? []
        #expect(kept.count > 0, "\(result.stdout)")
        let after = try table.fingerprint()
        for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] { #expect(after[key] == before[key], "\(key) changed") }
        #expect(after["delete_files"]?.int64Value ?? 0 > 0, "the delete files that still apply stay")
    }

    /// Random edits of real plans (seeded, so a failure repeats): after `compact` the rows are exactly those
    /// before, whether the edited plan committed or was refused; a refused plan changed no file.
    @Test func randomEditsNeverChangeRows() throws {
        var table = try Table()
        defer { try? FileManager.default.removeItem(at: table.root) }
        var before = try table.fingerprint()
        var outcomes: [Int32: Int] = [:]
        for seed in 0..<14 {
            var plan = try table.plan()
            if (try JSON.parse(plan))["tasks"]?.arrayValue?.isEmpty ?? true {
                try? FileManager.default.removeItem(at: table.root)
                table = try Table()
                before = try table.fingerprint()
                plan = try table.plan()
            }
            let files = try table.files()
            let result = try table.compact(try table.edited(plan, "random", String(seed)))
            outcomes[result.status, default: 0] += 1
            #expect(result.status == 0 || result.status == 65, "seed \(seed): \(result.stderr)")
            if result.status != 0 { #expect(try table.files() == files, "seed \(seed): a refused plan wrote nothing") }
            let after = try table.fingerprint()
            for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] {
                #expect(after[key] == before[key], "seed \(seed): \(key) changed (\(result.stdout) \(result.stderr))")
            }
        }
        #expect(outcomes[65, default: 0] > 0 && outcomes[0, default: 0] > 0, "both outcomes occur: \(outcomes)")
    }
}
