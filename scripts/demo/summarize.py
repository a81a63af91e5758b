"""Prints the main job's one-line summaries of amoro's JSON documents read from stdin: `scan`, `plan`, `compact` or
`inspect`, and `paimon-scan`, `paimon-plan` for the Paimon table."""
import json
import sys

kind = sys.argv[1]
for line in sys.stdin:
    doc = json.loads(line)
    if kind == "scan":
        totals, pending = doc["totals"], doc["pending"]
        print(f"{doc['table']}: health {doc['health']['score']}/100, pending {pending['level'] or 'nothing'} in "
              f"{pending['partitions']} of {totals['partitions']} partitions; {totals['data_files']} data files, "
              f"{totals['equality_delete_files']} equality-delete files")
        for partition in doc["partitions"]:
            level = partition["pending"]["level"] if partition["pending"] else "-"
            print(f"  {partition['partition']:<22} fragments {partition['data_files']['fragment']['files']:>3}  "
                  f"equality deletes {partition['deletes']['equality']['files']:>2}  pending {level}")
    elif kind == "plan":
        tasks = doc["tasks"]
        rewritten = sum(len(task["rewrite_data_files"]) for task in tasks)
        redeleted = sum(len(task["rewrite_position_files"]) for task in tasks)
        print(f"{doc['table']}: level {doc['level']}, {len(tasks)} tasks rewrite {rewritten} data files and re-delete "
              f"{redeleted}; {len(doc['removed_delete_files'])} delete files would be removed")
    elif kind == "paimon-scan":
        totals = doc["totals"]
        print(f"{doc['table']}: {totals['data_files']} data files, {totals['records']} records in {totals['buckets']} buckets, "
              f"{totals['pending_buckets']} due for compaction")
        for bucket in doc["buckets"]:
            levels = " ".join(f"L{level}:{count}" for level, count in bucket["levels"].items())
            due = bucket["pending"]["reason"] if bucket["pending"] else "-"
            print(f"  {bucket['partition']:<15} bucket {bucket['bucket']}  sorted runs {bucket['sorted_runs']:>2}  {levels:<10} due: {due}")
    elif kind == "paimon-plan":
        print(f"{doc['table']}: level {doc['level']}, {len(doc['tasks'])} tasks merge {doc['input_files']} files")
        for task in doc["tasks"]:
            print(f"  {task['partition']:<15} bucket {task['bucket']}  {len(task['files']):>2} files to level {task['output_level']}: {task['reason']}")
    elif kind == "compact":
        print(f"{doc['table']}: {doc['status']}, {doc.get('data_files_in')} data files ({doc.get('records_in')} records) "
              f"rewritten into {doc.get('data_files_out')} ({doc.get('records_out')} live records), "
              f"{doc.get('delete_files_removed')} delete files removed, snapshot {doc.get('snapshot_id')}")
    else:
        print(f"{doc['file'].split('/')[-1]}: {doc['records']} manifest entries, codec {doc['codec']}, "
              f"format-version {doc['metadata'].get('format-version')}")
