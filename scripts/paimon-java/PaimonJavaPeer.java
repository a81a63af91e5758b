import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.paimon.Changelog;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.consumer.Consumer;
import org.apache.paimon.consumer.ConsumerManager;
import org.apache.paimon.data.BinaryRow;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.deletionvectors.DeletionVector;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.fs.Path;
import org.apache.paimon.index.IndexFileHandler;
import org.apache.paimon.index.IndexFileMeta;
import org.apache.paimon.manifest.IndexManifestEntry;
import org.apache.paimon.manifest.ManifestEntry;
import org.apache.paimon.operation.FileStoreCommit;
import org.apache.paimon.operation.FileStoreScan;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.stats.Statistics;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.table.source.ScanMode;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;
import org.apache.paimon.utils.SnapshotManager;

/**
 * Apache Paimon's Java implementation (0.9, from pypaimon 0.2.0's bridge jar) as a peer of amoro's tests, on a
 * file-system catalog on the local disk. The arguments are steps separated by {@code --}, run in order in one JVM,
 * each printing one line of JSON:
 *
 * <ul>
 *   <li>{@code generate WAREHOUSE COMMITS}: writes the test tables of database {@code db} (see {@link #generate}).
 *   <li>{@code indexed WAREHOUSE COMMITS}: writes two append tables whose files carry file indexes (see
 *       {@link #indexed}).
 *   <li>{@code probe WAREHOUSE TABLE...}: prints JSON with, per table, a fingerprint of the rows Paimon Java reads at
 *       every snapshot present, every tag and every branch's snapshots, of the live files of each and how many are
 *       missing on disk, the snapshots' commit kinds; files, bytes, records and levels per partition and bucket of
 *       the latest snapshot; the consumers; the long-lived changelogs' files and how many are missing; the merged
 *       record count of the latest snapshot's statistics; the earliest and latest snapshot ids; the latest
 *       snapshot's deletion vectors that delete rows, and the rows they delete, as Java reads them.
 *   <li>{@code sequence-groups WAREHOUSE FIRST COMMITS}: commits FIRST to FIRST + COMMITS - 1 of the partial-update
 *       table {@code db.pk_seq} with sequence groups, created if absent (see {@link #sequenceGroups}).
 *   <li>{@code sequence-field WAREHOUSE FIRST COMMITS}: the same for the tables {@code db.pk_seqfield} and
 *       {@code db.pk_seqfield_partial} ordered by {@code sequence.field} (see {@link #sequenceField}).
 *   <li>{@code full-compact WAREHOUSE TABLE...}: Java's own full compaction of every bucket of each table (its
 *       {@code write-only} option set aside), committed.
 *   <li>{@code commit WAREHOUSE TABLE...}: one more commit to each table: new rows, and on primary-key tables
 *       updates of existing keys too.
 * </ul>
 *
 * Row fingerprints are made as the pypaimon probes make theirs (each row as Python's {@code json.dumps(row,
 * sort_keys=True)}, sorted, joined by newlines, SHA-256), so the two implementations' readings compare directly.
 */
public final class PaimonJavaPeer {
    /** Spill and lookup files of the writers (deletion vectors look up older levels on disk). */
    private static final IOManager IO = IOManager.create(System.getProperty("java.io.tmpdir"));

    private static final String[] PARTITIONS = {"2024-01-01", "2024-01-02", "a long partition value"};

    public static void main(String[] args) throws Exception {
        List<String> step = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                System.out.println(step(step));
                step.clear();
            } else {
                step.add(arg);
            }
        }
        if (!step.isEmpty()) System.out.println(step(step));
    }

    private static String step(List<String> args) throws Exception {
        Options options = new Options();
        options.set("warehouse", args.get(1));
        List<String> tables = args.subList(2, args.size());
        try (Catalog catalog = CatalogFactory.createCatalog(CatalogContext.create(options))) {
            switch (args.get(0)) {
                case "generate":
                    generate(catalog, Integer.parseInt(args.get(2)));
                    return "{\"generated\": true}";
                case "indexed":
                    indexed(catalog, Integer.parseInt(args.get(2)));
                    return "{\"generated\": true}";
                case "sequence-groups":
                    sequenceGroups(catalog, Integer.parseInt(args.get(2)), Integer.parseInt(args.get(3)));
                    return "{\"generated\": true}";
                case "sequence-field":
                    sequenceField(catalog, Integer.parseInt(args.get(2)), Integer.parseInt(args.get(3)));
                    return "{\"generated\": true}";
                case "probe": {
                    StringBuilder out = new StringBuilder("{");
                    for (String name : tables) {
                        if (out.length() > 1) out.append(", ");
                        out.append(quote(name)).append(": ").append(probe((FileStoreTable) catalog.getTable(id(name))));
                    }
                    return out.append("}").toString();
                }
                case "full-compact":
                    for (String name : tables) fullCompact((FileStoreTable) catalog.getTable(id(name)));
                    return "{\"compacted\": true}";
                case "commit":
                    for (String name : tables) commit((FileStoreTable) catalog.getTable(id(name)));
                    return "{\"committed\": true}";
                default:
                    throw new IllegalArgumentException("unknown command " + args.get(0));
            }
        }
    }

    private static Identifier id(String name) {
        return Identifier.create("db", name);
    }

    /**
     * Six tables, COMMITS commits each, Parquet files unless said otherwise:
     *
     * <ul>
     *   <li>{@code append_unaware}: append, bucket -1, partitioned by dt; the fourth commit overwrites one partition;
     *       statistics committed (an ANALYZE snapshot) after the fourth, which later snapshots carry on.
     *   <li>{@code append_fixed}: append, two buckets on id, unpartitioned; a full compaction of both buckets after
     *       the fourth commit (Java's writer also compacts on its own).
     *   <li>{@code pk_dedup}: primary key (dt, id), deduplicate, two buckets, partitioned by dt, written by one
     *       streaming writer: upserts of overlapping keys, deletes in every third commit, a column {@code extra}
     *       added after the third commit, a full compaction after the fifth (an empty APPEND snapshot, then a
     *       COMPACT one); tag {@code t1} after the second commit, {@code t2} (retained for a day: Java writes its
     *       creation time and retention into the tag) after the compaction, consumer {@code c1} at next snapshot 3,
     *       and branch {@code b1} from {@code t1} with one commit of its own.
     *   <li>{@code pk_dv}: primary key id, two buckets, deletion vectors (index files), deletes every third commit.
     *   <li>{@code pk_dynamic}: primary key (dt, id), dynamic buckets (hash index files), changelog producer
     *       {@code input}; Java's own expiry keeps three snapshots and moves older ones to long-lived changelogs
     *       (at most five).
     *   <li>{@code append_orc}: append, bucket -1, ORC files.
     * </ul>
     */
    static void generate(Catalog catalog, int commits) throws Exception {
        catalog.createDatabase("db", true);
        catalog.createTable(id("append_unaware"), schema(false).partitionKeys("dt").option("bucket", "-1").build(), false);
        catalog.createTable(id("append_fixed"), schema(false).option("bucket", "2").option("bucket-key", "id").build(), false);
        catalog.createTable(id("pk_dedup"),
                schema(true).partitionKeys("dt").primaryKey("dt", "id").option("bucket", "2").build(), false);

        FileStoreTable unaware = (FileStoreTable) catalog.getTable(id("append_unaware"));
        FileStoreTable fixed = (FileStoreTable) catalog.getTable(id("append_fixed"));
        for (int i = 0; i < commits; i++) {
            List<GenericRow> rows = new ArrayList<>();
            for (int k = 0; k < 3; k++) rows.add(row(unaware, i * 10 + k, PARTITIONS[k], value(i, k), (i * 7 + k) % 5 - 2));
            if (i == 3) {
                rows.removeIf(r -> !r.getString(1).toString().equals(PARTITIONS[0]));
                batch(unaware, rows, Collections.singletonMap("dt", PARTITIONS[0]));
            } else {
                batch(unaware, rows, null);
            }
            batch(fixed, rows, null);
            if (i == commits / 2) {
                Long analyzed = unaware.snapshotManager().latestSnapshotId();
                Statistics statistics = new Statistics(analyzed, 0L, 10L, 1000L);
                try (FileStoreCommit analyze = unaware.store().newCommit("analyze")) {
                    analyze.commitStatistics(statistics, Long.MAX_VALUE);
                }
                BatchWriteBuilder builder = fixed.newBatchWriteBuilder();
                try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
                    for (int bucket = 0; bucket < 2; bucket++) write.compact(BinaryRow.EMPTY_ROW, bucket, true);
                    commit.commit(write.prepareCommit());
                }
            }
        }

        Identifier pk = id("pk_dedup");
        FileStoreTable table = (FileStoreTable) catalog.getTable(pk);
        StreamWriteBuilder stream = table.newStreamWriteBuilder();
        StreamTableWrite write = stream.newWrite();
        write.withIOManager(IO);
        StreamTableCommit commit = stream.newCommit();
        long identifier = 0;
        for (int i = 0; i < commits; i++) {
            if (i == 3) {
                write.close();
                commit.close();
                catalog.alterTable(pk, SchemaChange.addColumn("extra", DataTypes.INT()), false);
                table = (FileStoreTable) catalog.getTable(pk);
                stream = table.newStreamWriteBuilder();
                write = stream.newWrite();
                write.withIOManager(IO);
                commit = stream.newCommit();
            }
            for (int k = 0; k < 6; k++) {
                GenericRow row = row(table, (i * 3 + k) % 10, PARTITIONS[k % 2], value(i, k), i);
                if (i % 3 == 2 && k < 2) row.setRowKind(RowKind.DELETE);
                write.write(row);
            }
            identifier++;
            commit.commit(identifier, write.prepareCommit(false, identifier));
            if (i == 1) table.createTag("t1", table.snapshotManager().latestSnapshotId());
            if (i == 4) {
                for (DataSplit split : splits(table)) write.compact(split.partition(), split.bucket(), true);
                identifier++;
                commit.commit(identifier, write.prepareCommit(true, identifier));
                table.createTag("t2", table.snapshotManager().latestSnapshotId(), Duration.ofDays(1));
            }
        }
        write.close();
        commit.close();
        new ConsumerManager(table.fileIO(), table.location()).resetConsumer("c1", new Consumer(3));
        table.createBranch("b1", "t1");
        FileStoreTable branch = table.switchToBranch("b1");
        List<GenericRow> branchRows = new ArrayList<>();
        for (int k = 0; k < 4; k++) branchRows.add(row(branch, 100 + k, PARTITIONS[k % 2], "on the branch " + k, k));
        batch(branch, branchRows, null);

        catalog.createTable(id("pk_dv"), schema(true).primaryKey("id").option("bucket", "2")
                .option("deletion-vectors.enabled", "true")
                .option("compaction.size-ratio", "0").option("compaction.max-size-amplification-percent", "100000").build(), false);
        catalog.createTable(id("pk_dynamic"), schema(true).partitionKeys("dt").primaryKey("dt", "id")
                .option("bucket", "-1").option("changelog-producer", "input")
                .option("snapshot.num-retained.min", "2").option("snapshot.num-retained.max", "3")
                .option("changelog.num-retained.max", "5").build(), false);
        catalog.createTable(id("append_orc"), schema(false).option("file.format", "orc").build(), false);
        for (String name : new String[] {"pk_dv", "pk_dynamic", "append_orc"}) {
            FileStoreTable t = (FileStoreTable) catalog.getTable(id(name));
            for (int i = 0; i < commits; i++) {
                List<GenericRow> rows = new ArrayList<>();
                for (int k = 0; k < 6; k++) {
                    GenericRow row = row(t, (i * 3 + k) % 10, PARTITIONS[k % 2], value(i, k), i);
                    if (i % 3 == 2 && k < 2 && !name.startsWith("append")) row.setRowKind(RowKind.DELETE);
                    rows.add(row);
                }
                batch(t, rows, null);
            }
        }
    }

    /**
     * Two append tables (bucket -1, partitioned by dt), COMMITS commits of three rows each, every file with a bloom
     * filter index on id: embedded in the manifest entry in the first half of the commits, written beside the file
     * ({@code <file>.index}, an extra file) in the second ({@code file-index.in-manifest-threshold} 1 byte).
     * {@code append_indexed} keeps its index options; {@code append_was_indexed} has the index removed afterwards,
     * so Paimon's writers, compaction's included, now write its files without one.
     */
    static void indexed(Catalog catalog, int commits) throws Exception {
        catalog.createDatabase("db", true);
        for (String name : new String[] {"append_indexed", "append_was_indexed"}) {
            Identifier identifier = id(name);
            catalog.createTable(identifier, schema(false).partitionKeys("dt").option("bucket", "-1")
                    .option("file-index.bloom-filter.columns", "id").option("file-index.bloom-filter.id.items", "10").build(), false);
            for (int i = 0; i < commits; i++) {
                if (i == commits / 2) {
                    catalog.alterTable(identifier, SchemaChange.setOption("file-index.in-manifest-threshold", "1"), false);
                }
                FileStoreTable table = (FileStoreTable) catalog.getTable(identifier);
                List<GenericRow> rows = new ArrayList<>();
                for (int k = 0; k < 3; k++) rows.add(row(table, i * 10 + k, PARTITIONS[k], value(i, k), (i * 7 + k) % 5 - 2));
                batch(table, rows, null);
            }
        }
        catalog.alterTable(id("append_was_indexed"), SchemaChange.removeOption("file-index.bloom-filter.columns"), false);
    }

    /**
     * {@code pk_seq}: primary key id, two buckets, partial-update with group {@code s1} over {@code a} and {@code b}
     * (sum), group {@code t1,t2} (two sequence fields) over {@code c} and {@code d} (max, ignoring retractions), and
     * {@code e} outside groups; written only ({@code write-only}), commits of twelve keys each, commit 0 inserting
     * every key, the later ones out of sequence order, with nulls among the sequence fields and -U / -D records (a
     * commit's values depend on its number).
     */
    static void sequenceGroups(Catalog catalog, int first, int commits) throws Exception {
        catalog.createDatabase("db", true);
        Schema schema = Schema.newBuilder()
                .column("id", DataTypes.BIGINT().notNull())
                .column("s1", DataTypes.INT())
                .column("a", DataTypes.STRING())
                .column("b", DataTypes.BIGINT())
                .column("t1", DataTypes.INT())
                .column("t2", DataTypes.BIGINT())
                .column("c", DataTypes.STRING())
                .column("d", DataTypes.STRING())
                .column("e", DataTypes.STRING())
                .primaryKey("id")
                .option("bucket", "2")
                .option("file.format", "parquet")
                .option("write-only", "true")
                .option("merge-engine", "partial-update")
                .option("fields.s1.sequence-group", "a,b")
                .option("fields.b.aggregate-function", "sum")
                .option("fields.t1,t2.sequence-group", "c,d")
                .option("fields.d.aggregate-function", "max")
                .option("fields.d.ignore-retract", "true")
                .build();
        catalog.createTable(id("pk_seq"), schema, true);
        FileStoreTable table = (FileStoreTable) catalog.getTable(id("pk_seq"));
        for (int i = first; i < first + commits; i++) {
            List<GenericRow> rows = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                int h = (i * 7 + k * 5) % 11;
                GenericRow row = new GenericRow(9);
                row.setField(0, (long) k);
                Integer s1 = (i * 3 + k) % 5;
                Integer t1 = (i + k) % 3;
                Long t2 = (long) ((i * 2 + k) % 4);
                if (i == 0) {
                    s1 = 0;
                    t1 = 0;
                    t2 = 0L;
                }
                if (i > 0 && h == 3) s1 = null;
                if (i > 0 && h == 5) t1 = null;
                if (i > 0 && (h == 6 || h == 5 && k % 2 == 0)) t2 = null;
                row.setField(1, s1);
                row.setField(2, h % 4 == 1 ? null : BinaryString.fromString("a" + i + "-" + k));
                row.setField(3, (long) (i * 10 + k));
                row.setField(4, t1);
                row.setField(5, t2);
                row.setField(6, h % 3 == 0 ? null : BinaryString.fromString("c" + i + "-" + k));
                row.setField(7, BinaryString.fromString("d" + h));
                row.setField(8, h % 2 == 0 ? null : BinaryString.fromString("e" + i + "-" + k));
                if (i > 0 && h == 7) row.setRowKind(RowKind.UPDATE_BEFORE);
                if (i > 0 && h == 9) row.setRowKind(RowKind.DELETE);
                rows.add(row);
            }
            batch(table, rows, null);
        }
    }

    /**
     * {@code pk_seqfield} (deduplicate) and {@code pk_seqfield_partial} (partial-update): primary key id, two buckets,
     * {@code sequence.field = s,u} (a nullable int, then a bigint), written only, commits of ten keys each whose
     * {@code s} and {@code u} go up and down between commits (nulls among them), with -D records in the deduplicate
     * table; commit 0 inserts every key.
     */
    static void sequenceField(Catalog catalog, int first, int commits) throws Exception {
        catalog.createDatabase("db", true);
        for (String name : new String[] {"pk_seqfield", "pk_seqfield_partial"}) {
            boolean partial = name.endsWith("partial");
            Schema.Builder schema = Schema.newBuilder()
                    .column("id", DataTypes.BIGINT().notNull())
                    .column("s", DataTypes.INT())
                    .column("u", DataTypes.BIGINT())
                    .column("v", DataTypes.STRING())
                    .column("w", DataTypes.DOUBLE())
                    .primaryKey("id")
                    .option("bucket", "2")
                    .option("file.format", "parquet")
                    .option("write-only", "true")
                    .option("sequence.field", "s,u");
            if (partial) schema.option("merge-engine", "partial-update");
            catalog.createTable(id(name), schema.build(), true);
            FileStoreTable table = (FileStoreTable) catalog.getTable(id(name));
            for (int i = first; i < first + commits; i++) {
                List<GenericRow> rows = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    int h = (i * 5 + k * 3) % 7;
                    GenericRow row = new GenericRow(5);
                    row.setField(0, (long) k);
                    row.setField(1, h == 4 && i > 0 ? null : (Integer) ((i * 3 + k) % 4));
                    row.setField(2, (long) ((i + k * 2) % 3));
                    row.setField(3, h == 2 ? null : BinaryString.fromString("v" + i + "-" + k));
                    row.setField(4, h == 5 ? null : (double) (i * 10 + k));
                    if (!partial && i > 0 && h == 6) row.setRowKind(RowKind.DELETE);
                    rows.add(row);
                }
                batch(table, rows, null);
            }
        }
    }

    private static Schema.Builder schema(boolean primaryKey) {
        return Schema.newBuilder()
                .column("id", primaryKey ? DataTypes.BIGINT().notNull() : DataTypes.BIGINT())
                .column("dt", primaryKey ? DataTypes.STRING().notNull() : DataTypes.STRING())
                .column("v", DataTypes.STRING())
                .column("n", DataTypes.INT())
                .option("file.format", "parquet");
    }

    private static String value(int i, int k) {
        return (i + k) % 4 == 0 ? null : "value " + i + "-" + k + " with some text";
    }

    /** A row of the table's current schema: id, dt, v, n, and {@code extra} (= n * 100) where the schema has it. */
    private static GenericRow row(Table table, long id, String dt, String v, int n) {
        int width = table.rowType().getFieldCount();
        GenericRow row = new GenericRow(width);
        row.setField(0, id);
        row.setField(1, BinaryString.fromString(dt));
        row.setField(2, v == null ? null : BinaryString.fromString(v));
        row.setField(3, n);
        if (width > 4) row.setField(4, n * 100);
        return row;
    }

    private static void batch(Table table, List<GenericRow> rows, Map<String, String> overwrite) throws Exception {
        BatchWriteBuilder builder = table.newBatchWriteBuilder();
        if (overwrite != null) builder = builder.withOverwrite(overwrite);
        try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
            write.withIOManager(IO);
            // Dynamic buckets (a primary key with bucket -1) are assigned by the caller; a key keeps its bucket.
            boolean dynamic = !table.primaryKeys().isEmpty() && "-1".equals(table.options().get("bucket"));
            for (GenericRow row : rows) {
                if (dynamic) write.write(row, (int) Math.floorMod(row.getLong(0), 2L));
                else write.write(row);
            }
            commit.commit(write.prepareCommit());
        }
    }

    /** Four rows: ids 5000–5003, and ids 0–3 (existing keys of the primary-key tables) with new values. */
    private static void commit(FileStoreTable table) throws Exception {
        List<GenericRow> rows = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            rows.add(row(table, 5000 + k, PARTITIONS[k % 2], "late " + k, k));
            rows.add(row(table, k, PARTITIONS[k % 2], "updated " + k, k));
        }
        batch(table, rows, null);
    }

    private static void fullCompact(FileStoreTable table) throws Exception {
        FileStoreTable writable = table.copy(Collections.singletonMap("write-only", "false"));
        BatchWriteBuilder builder = writable.newBatchWriteBuilder();
        try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
            write.withIOManager(IO);
            List<String> done = new ArrayList<>();
            for (DataSplit split : splits(writable)) {
                String bucket = split.partition() + "#" + split.bucket();
                if (done.contains(bucket)) continue;
                done.add(bucket);
                write.compact(split.partition(), split.bucket(), true);
            }
            commit.commit(write.prepareCommit());
        }
    }

    private static List<DataSplit> splits(Table table) {
        List<DataSplit> splits = new ArrayList<>();
        for (Split split : table.newReadBuilder().newScan().plan().splits()) splits.add((DataSplit) split);
        return splits;
    }

    static String probe(FileStoreTable table) throws Exception {
        SnapshotManager snapshots = table.snapshotManager();
        StringBuilder out = new StringBuilder("{\"snapshots\": {");
        boolean first = true;
        for (Snapshot snapshot : snapshots.safelyGetAllSnapshots()) {
            if (!first) out.append(", ");
            first = false;
            Map<String, String> at = Collections.singletonMap("scan.snapshot-id", Long.toString(snapshot.id()));
            out.append(quote(Long.toString(snapshot.id()))).append(": ")
                    .append(fingerprint(table, table.copy(at), snapshot, snapshot.commitKind().name()));
        }
        out.append("}, \"tags\": {");
        first = true;
        List<String> tags = new ArrayList<>(table.tagManager().allTagNames());
        Collections.sort(tags);
        for (String tag : tags) {
            if (!first) out.append(", ");
            first = false;
            Snapshot snapshot = table.tagManager().taggedSnapshot(tag);
            Map<String, String> at = Collections.singletonMap("scan.tag-name", tag);
            out.append(quote(tag)).append(": ").append(fingerprint(table, table.copy(at), snapshot, null));
        }
        out.append("}, \"buckets\": {");
        Long latest = snapshots.latestSnapshotId();
        Map<String, long[]> buckets = new TreeMap<>();
        if (latest != null) {
            for (ManifestEntry entry : table.store().newScan().withSnapshot(latest).plan().files()) {
                long[] b = buckets.computeIfAbsent(bucketKey(table, entry), key -> new long[5]);
                b[0] += 1;
                b[1] += entry.file().fileSize();
                b[2] += entry.file().rowCount();
                b[3] = Math.max(b[3], entry.file().level());
                if (entry.file().level() > 0) b[4] += 1;
            }
        }
        first = true;
        for (Map.Entry<String, long[]> b : buckets.entrySet()) {
            if (!first) out.append(", ");
            first = false;
            long[] v = b.getValue();
            out.append(quote(b.getKey())).append(String.format(
                    ": {\"files\": %d, \"bytes\": %d, \"records\": %d, \"maxLevel\": %d, \"leveled\": %d}",
                    v[0], v[1], v[2], v[3], v[4]));
        }
        Map<String, Long> consumers = new TreeMap<>(new ConsumerManager(table.fileIO(), table.location()).consumers());
        out.append("}, \"consumers\": {");
        first = true;
        for (Map.Entry<String, Long> c : consumers.entrySet()) {
            if (!first) out.append(", ");
            first = false;
            out.append(quote(c.getKey())).append(": ").append(c.getValue());
        }
        out.append("}, \"branches\": {");
        List<String> branches = new ArrayList<>(table.branchManager().branches());
        Collections.sort(branches);
        first = true;
        for (String name : branches) {
            if (!first) out.append(", ");
            first = false;
            FileStoreTable branch = table.switchToBranch(name);
            out.append(quote(name)).append(": {");
            boolean firstSnapshot = true;
            for (Snapshot snapshot : branch.snapshotManager().safelyGetAllSnapshots()) {
                if (!firstSnapshot) out.append(", ");
                firstSnapshot = false;
                Map<String, String> at = Collections.singletonMap("scan.snapshot-id", Long.toString(snapshot.id()));
                out.append(quote(Long.toString(snapshot.id()))).append(": ")
                        .append(fingerprint(branch, branch.copy(at), snapshot, snapshot.commitKind().name()));
            }
            out.append("}");
        }
        out.append("}, \"changelogs\": {");
        first = true;
        for (Changelog changelog : snapshots.safelyGetAllChangelogs()) {
            if (!first) out.append(", ");
            first = false;
            int files = 0;
            int missing = 0;
            FileStoreScan scan = table.store().newScan().withSnapshot(changelog).withKind(ScanMode.CHANGELOG);
            for (ManifestEntry entry : scan.plan().files()) {
                files++;
                Path path = new Path(table.location(), relativeDirectory(table, entry) + "/" + entry.file().fileName());
                if (!table.fileIO().exists(path)) missing++;
            }
            out.append(quote(Long.toString(changelog.id())))
                    .append(String.format(": {\"files\": %d, \"missing\": %d}", files, missing));
        }
        Long analyzed = latest == null ? null : table.statistics().map(s -> s.mergedRecordCount().orElse(-1)).orElse(null);
        out.append("}, \"statistics\": ").append(analyzed);
        long vectors = 0;
        long deleted = 0;
        if (latest != null) {
            IndexFileHandler handler = table.store().newIndexFileHandler();
            List<IndexFileMeta> indexFiles = new ArrayList<>();
            for (IndexManifestEntry entry : handler.scanEntries()) {
                if (entry.indexFile().indexType().equals("DELETION_VECTORS")) indexFiles.add(entry.indexFile());
            }
            for (DeletionVector vector : handler.readAllDeletionVectors(indexFiles).values()) {
                if (vector.isEmpty()) continue;
                vectors++;
                deleted += vector.getCardinality();
            }
        }
        out.append(String.format(", \"deletionVectors\": {\"vectors\": %d, \"rows\": %d}", vectors, deleted));
        return out.append(", \"earliest\": ").append(snapshots.earliestSnapshotId())
                .append(", \"latest\": ").append(latest).append("}").toString();
    }

    /** The partition path and bucket of an entry as the pypaimon probes key them: {@code dt=value#bucket}. */
    private static String bucketKey(FileStoreTable table, ManifestEntry entry) {
        return relativeDirectory(table, entry).replaceAll("/?bucket-(\\d+)$", "#$1");
    }

    private static String relativeDirectory(FileStoreTable table, ManifestEntry entry) {
        Path bucket = table.store().pathFactory().bucketPath(entry.partition(), entry.bucket());
        String root = table.location().toUri().getPath();
        String path = bucket.toUri().getPath();
        return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
    }

    private static String fingerprint(FileStoreTable table, Table at, Snapshot snapshot, String kind) throws Exception {
        ReadBuilder reader = at.newReadBuilder();
        RowType type = at.rowType();
        List<InternalRow.FieldGetter> getters = new ArrayList<>();
        for (int i = 0; i < type.getFieldCount(); i++) getters.add(InternalRow.createFieldGetter(type.getTypeAt(i), i));
        List<String> rows = new ArrayList<>();
        try (RecordReader<InternalRow> records = reader.newRead().createReader(reader.newScan().plan().splits())) {
            records.forEachRemaining(row -> rows.add(json(type, getters, row)));
        }
        Collections.sort(rows);
        List<String> files = new ArrayList<>();
        int missing = 0;
        for (ManifestEntry entry : table.store().newScan().withSnapshot(snapshot).plan().files()) {
            String file = relativeDirectory(table, entry) + "/" + entry.file().fileName();
            files.add(file);
            if (!table.fileIO().exists(new Path(table.location(), file))) missing++;
        }
        Collections.sort(files);
        String out = String.format("{\"rows\": %d, \"sha\": \"%s\", \"files\": \"%s\", \"missing\": %d",
                rows.size(), sha(String.join("\n", rows)), sha(String.join("\n", files)), missing);
        if (kind != null) out += ", \"kind\": " + quote(kind) + ", \"fileCount\": " + files.size();
        return out + "}";
    }

    /** A row as Python's {@code json.dumps(row, sort_keys=True)} writes it, for the types the tables use. */
    private static String json(RowType type, List<InternalRow.FieldGetter> getters, InternalRow row) {
        Map<String, Object> fields = new TreeMap<>();
        List<DataField> columns = type.getFields();
        for (int i = 0; i < columns.size(); i++) fields.put(columns.get(i).name(), getters.get(i).getFieldOrNull(row));
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) out.append(", ");
            first = false;
            Object value = field.getValue();
            out.append(quote(field.getKey())).append(": ");
            if (value == null) out.append("null");
            else if (value instanceof BinaryString) out.append(quote(value.toString()));
            else out.append(value);
        }
        return out.append("}").toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static String sha(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (byte b : digest) out.append(String.format("%02x", b));
        return out.toString();
    }
}
