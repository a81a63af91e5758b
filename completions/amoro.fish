function __amoro_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __amoro_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __amoro_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __amoro_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __amoro_parse_tokens -S
    set -l unparsed_tokens (__amoro_tokens -pc)
    switch $unparsed_tokens[1]
    case 'amoro'
        __amoro_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'scan'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'partition=' 'level=' 'ref=' 'version' 'h/help'
        case 'plan'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'level=' 'budget-bytes=' 'max-tasks=' 'scheduled-every=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'compact'
            __amoro_parse_subcommand 0 'config=' 'catalog=' 'plan=' 'parallelism=' 'dry-run' 'execute-only' 'task=+' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'commit'
            __amoro_parse_subcommand 0 'config=' 'catalog=' 'plan=' 'results=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'rewrite-deletes'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'apply' 'min-delete-ratio=' 'partition=' 'dry-run' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'rewrite-manifests'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'target-size-bytes=' 'triggered' 'dry-run' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'expire-snapshots'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'older-than=' 'retain-last=' 'snapshot-id=+' 'keep-snapshot=+' 'keep-plans=' 'dry-run' 'from-audit=' 'force' 'parallelism=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'clean-orphans'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'older-than=' 'max-deletes=' 'prefix-mismatch=' 'dry-run' 'from-audit=' 'force' 'parallelism=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'schedule'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'log-file=' 'lock-dir=' 'metrics-file=' 'install' 'uninstall' 'version' 'h/help'
        case 'inspect'
            __amoro_parse_subcommand 1 'json' 'rows' 'limit=' 'columns=' 'pages' 'version' 'h/help'
        case 'expire-data'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'dry-run' 'from-audit=' 'now=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'create-tags'
            __amoro_parse_subcommand -r 1 'config=' 'catalog=' 'all' 'dry-run' 'catch-up=' 'now=' 'json' 'log-format=' 'log-level=' 'metrics-file=' 'lock-dir=' 'exit-nothing-to-do' 'version' 'h/help'
        case 'help'
            __amoro_parse_subcommand -r 1 'version'
        end
    end
end

function __amoro_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __amoro_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __amoro_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __amoro_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__amoro_tokens -p)
    if test -z "$(__amoro_tokens -t)"
        set -l index (count (__amoro_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'amoro' -f
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'scan' -d 'Report the health of each table and partition (one amoro.scan JSON document per table).'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'plan' -d 'Plan self-optimizing for tables, or for the tables of scan documents read from stdin.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'compact' -d 'Execute optimizing plans: rewrite files, apply deletes, commit one replace snapshot per table.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'commit' -d 'Commit the task results of compaction plans run elsewhere as one replace snapshot per table.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'rewrite-deletes' -d 'Merge delete files per partition (deletion vectors for v3), drop dangling ones, optionally apply them.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'rewrite-manifests' -d 'Regroup small manifests by partition into manifests of the target size (Iceberg\'s rewrite_manifests).'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'expire-snapshots' -d 'Expire snapshots and refs as the table\'s retention says, then delete the files only they reached.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'clean-orphans' -d 'Delete files under the table location that no snapshot or metadata file reaches, after a grace period.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'schedule' -d 'Print the crontab that optimizes and maintains tables as their properties say; --install writes it.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'inspect' -d 'Print a Parquet or Avro file\'s schema, metadata, layout and statistics, or its rows.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'expire-data' -d 'Remove data files whose rows are all older than the table\'s data-expire retention.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'create-tags' -d 'Create the tags tag.auto-create.* asks for: one per finished hour, day or month.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" partition' -l 'partition' -d 'Only partitions whose path contains this text (such as \'ts_day=2024-05\').' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" level' -l 'level' -d 'Only partitions pending at this level: minor, major or full.' -rfka 'minor major full'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" ref' -l 'ref' -d 'Scan the snapshot of this branch or tag instead of the current one.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" level' -l 'level' -d 'minor, major, full or auto.' -rfka 'auto minor major full'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" budget-bytes' -l 'budget-bytes' -d 'Stop adding partitions once their cost passes this many bytes (default: 512 MiB per core).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" max-tasks' -l 'max-tasks' -d 'At most this many tasks per table.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" scheduled-every' -l 'scheduled-every' -d 'This run repeats every DURATION (30s, 5min, 1h), as the crontab of `amoro schedule` runs it: a trigger interval that falls due within half of DURATION counts as passed, so the run nearest its due time takes it instead of the next one (without it, an hourly run against an hourly interval would optimize every other hour).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro plan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" plan' -l 'plan' -d 'Plan documents to execute (default: standard input).' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" parallelism' -l 'parallelism' -d 'Tasks rewritten at once (default: the number of cores).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" dry-run' -l 'dry-run' -d 'Check the plans and print what would be rewritten and committed; write nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" execute-only' -l 'execute-only' -d 'Run the tasks and print one amoro.task-result document per task; commit nothing (see amoro commit).'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact"' -l 'task' -d 'With --execute-only: run only this task of each plan (repeatable).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro compact" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" plan' -l 'plan' -d 'Plan documents whose task results to commit.' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" results' -l 'results' -d 'Task-result documents (default: standard input).' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro commit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" apply' -l 'apply' -d 'Also rewrite data files whose deleted-row share passes the ratio, with their deletes applied.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" min-delete-ratio' -l 'min-delete-ratio' -d 'With --apply: the deleted-row share a data file must exceed (default: the table\'s duplicate ratio).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" partition' -l 'partition' -d 'Only partitions whose path contains this text (such as \'region=eu\').' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" dry-run' -l 'dry-run' -d 'List every delete file that would be rewritten or dropped, and why, and the files that would be written; write nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-deletes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" target-size-bytes' -l 'target-size-bytes' -d 'Size the new manifests aim at (default: the table\'s commit.manifest.target-size-bytes).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" triggered' -l 'triggered' -d 'Rewrite only where the table\'s amoro.rewrite-manifests.trigger.small-manifests is reached (for cron).'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" dry-run' -l 'dry-run' -d 'List the manifests that would be replaced and written, per content kind and spec; write nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro rewrite-manifests" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" older-than' -l 'older-than' -d 'Expire snapshots older than this age (12h, 7d) or time (ISO-8601).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" retain-last' -l 'retain-last' -d 'Keep at least this many snapshots on each branch.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots"' -l 'snapshot-id' -d 'Expire exactly this snapshot (repeatable); refused when a ref points at it.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots"' -l 'keep-snapshot' -d 'Never expire this snapshot, nor any after it (repeatable).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" keep-plans' -l 'keep-plans' -d 'Never expire the snapshots these amoro.plan documents were made against.' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" dry-run' -l 'dry-run' -d 'List every snapshot, ref and file that would be removed, and why; change nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" from-audit' -l 'from-audit' -d 'Act only on what this dry-run output lists and still qualifies.' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" force' -l 'force' -d 'Expire even when table-expire.enabled=false.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" parallelism' -l 'parallelism' -d 'Files read or deleted at once.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-snapshots" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" older-than' -l 'older-than' -d 'Grace period: keep unreferenced files younger than this (such as 3d, 12h).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" max-deletes' -l 'max-deletes' -d 'Refuse to delete more than this many files per table.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" prefix-mismatch' -l 'prefix-mismatch' -d 'A listed path matching a referenced one under another scheme or authority: error, ignore or delete.' -rfka 'error ignore delete'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" dry-run' -l 'dry-run' -d 'List the orphans with size and age; delete nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" from-audit' -l 'from-audit' -d 'Delete only the orphans this dry-run output lists and that still qualify.' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" force' -l 'force' -d 'Clean even when clean-orphan-file.enabled is not set.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" parallelism' -l 'parallelism' -d 'Files read or deleted at once.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro clean-orphans" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" log-file' -l 'log-file' -d 'File the jobs append their output to (default: $AMORO_HOME/log/amoro.log).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" lock-dir' -l 'lock-dir' -d 'Lock directory the jobs use (default: as for every command, see --lock-dir there).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" metrics-file' -l 'metrics-file' -d 'Metrics file the jobs update; adds an hourly scan for file counts and health.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" install' -l 'install' -d 'Write the block into your crontab instead of printing it.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" uninstall' -l 'uninstall' -d 'Remove amoro\'s block from your crontab.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro schedule" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_positional "amoro inspect" -eq 1' -fa '(set -l exts \'parquet\' \'avro\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" rows' -l 'rows' -d 'Print the rows as JSON lines instead of the layout.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" limit' -l 'limit' -d 'With --rows: print at most this many rows.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" columns' -l 'columns' -d 'With --rows: only these top-level columns (comma-separated).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" pages' -l 'pages' -d 'With Parquet: list every page of every column chunk.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" dry-run' -l 'dry-run' -d 'List every data file that would be removed and every file kept for another reason than fresh rows, and why; change nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" from-audit' -l 'from-audit' -d 'Remove only the files this dry-run output lists that still expire (same size).' -rfa '(set -l exts \'json\' \'ndjson\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" now' -l 'now' -d 'Decide as if it were this time: ISO-8601 (2024-05-01T00:00:00Z) or epoch milliseconds.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro expire-data" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" config' -l 'config' -d 'Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg\'s .pyiceberg.yaml).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" catalog' -l 'catalog' -d 'Catalog to use (default: the configuration\'s default catalog).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" all' -l 'all' -d 'Every table of the catalog.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" dry-run' -l 'dry-run' -d 'List the tags that would be created, found or skipped, and why; change nothing.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" catch-up' -l 'catch-up' -d 'Periods before the latest to catch up after missed runs.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" now' -l 'now' -d 'Decide as if it were this time: ISO-8601 (2024-05-01T00:00:00Z) or epoch milliseconds.' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" json' -l 'json' -d 'Print JSON documents even on a terminal.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" log-format' -l 'log-format' -d 'Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).' -rfka 'human json'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" log-level' -l 'log-level' -d 'Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).' -rfka 'trace debug info notice warning error critical'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" metrics-file' -l 'metrics-file' -d 'Prometheus text file to update with this run\'s numbers, for node_exporter\'s textfile collector (default: $AMORO_METRICS_FILE).' -rfka ''
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" lock-dir' -l 'lock-dir' -d 'Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).' -rfa '(__amoro_complete_directories)'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" exit-nothing-to-do' -l 'exit-nothing-to-do' -d 'Exit with 2 instead of 0 when every table had nothing to do.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" version' -l 'version' -d 'Show the version.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro create-tags" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amoro' -n '__amoro_should_offer_completions_for_flags_or_options "amoro help" version' -l 'version' -d 'Show the version.'
