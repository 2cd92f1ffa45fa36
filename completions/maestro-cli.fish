# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_maestro_cli_global_optspecs
    string join \n state= config= actor= o/output= q/quiet v/verbose h/help V/version
end

function __fish_maestro_cli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_maestro_cli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_maestro_cli_using_subcommand
    set -l cmd (__fish_maestro_cli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "init" -d 'Create the state file and make the actor its first platform admin'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:create" -d 'Create a tenant with its isolation boundary and its admin'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:list" -d 'List tenants (those the actor may see)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:show" -d 'Show one tenant'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:update" -d 'Change a tenant\'s name, tier or allowed regions (audited with old and new values)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:delete" -d 'Mark a tenant deleted (its data is kept)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "tenant:manifests" -d 'Print a tenant\'s isolation boundary as Kubernetes manifests'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "user:add" -d 'Grant a role to a principal (created if new)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "user:remove" -d 'Revoke a role from a principal (a tenant admin: roles of their tenant)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "user:list" -d 'List principals and their roles (those the actor may see)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "audit:log" -d 'List audit events (those of the actor\'s tenants unless platform admin)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "audit:verify" -d 'Recompute the audit hash chain; exit 4 naming the first bad event if it is broken'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:list" -d 'List flow templates (built-in and from --templates DIR)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:validate" -d 'Check a template: YAML, ids, needs, kinds, params, cycles; exit 4 on problems'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:graph" -d 'Print a flow\'s dependency graph (text waves, Graphviz dot or Mermaid)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:run" -d 'Run a flow: at most --jobs steps at once, checkpointed, resumable'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:status" -d 'Show a run and its steps'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:runs" -d 'List runs, newest first'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:logs" -d 'Print the captured output of a run\'s attempts'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "flow:resume" -d 'Continue a run after a crash, a failure or Ctrl-C'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "deploy:list" -d 'List deployments, newest first: what runs where, and what ran before'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:check" -d 'Ask the policies for a decision; exit 0 allow, 3 deny (every decision is logged)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:test" -d 'Run the policies\' tests (test_* rules; todo_test_* are skipped); exit 4 on failure'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:log" -d 'The decision log'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:drift" -d 'Re-check the current state against today\'s policies; exit 4 when something drifted'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:eval" -d 'Evaluate a query without state or log (like `opa eval`): one JSON result per input line'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "policy:bundle" -d 'Write the policy bundle in use (the built-in one unless `[policy] dir`) to a directory'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "pack:keygen" -d 'Make a signing key pair in minisign format (the secret key file is 0600)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "pack:export" -d 'Export a tenant\'s signed, deterministic disclosure pack'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "pack:verify" -d 'Check a pack: entries, manifest, signature, audit events; exit 4 listing every problem'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "signals:mine" -d 'Mine commit signals from git repositories, and security alerts from system logs'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "signals:report" -d 'Commit signals grouped by day, week, repository, author or type'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "signals:alerts" -d 'Security alerts raised from system logs'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "cost:ingest" -d 'Ingest a FinOps FOCUS billing file (CSV, or .gz), attributing each row to a tenant'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "cost:report" -d 'Cost per tenant / service / env / region / provider, shares, and top cost drivers'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "perf:ingest" -d 'Ingest request logs (JSON lines, or CSV; .gz read): daily p50/p95/p99 and error rates'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "perf:baseline" -d 'Set (or show) the baseline that later windows are compared with'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "perf:check" -d 'Compare the latest window with the budgets and the baseline: warn (exit 0) or gate (exit 3)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "dashboard:export" -d 'Export a Grafana dashboard: Summitsight Pulse or Platform P&L'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "dashboard:publish" -d 'Queue a dashboard for Grafana (the [[adapters]] of kind grafana; `sync` posts it)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "intelgraph:schema" -d 'Print the IntelGraph core schema (Cypher), or queue it for Neo4j with --apply'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "intelgraph:export" -d 'Write the graph\'s Cypher statements for cypher-shell'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "sync" -d 'Deliver the outbox to the remote backends in [[adapters]]'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "sync:dead" -d 'Deliveries given up on (dead letter)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "sync:retry" -d 'Put a dead delivery back in the queue'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "trial:up" -d 'Stand up a trial environment in one directory: two tenants, deploys, the staged deny, packs'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "trial:down" -d 'Remove a trial environment made by trial:up (and only that), writing a teardown record'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "status" -d 'The installation\'s health: state, integrity, audit chain, policies; `System Online`'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell)'
complete -c maestro-cli -n "__fish_maestro_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand init" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l name -d 'Display name [default: the id]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l regions -d 'Allowed regions, comma-separated ids of the catalogue; `*` for a dev tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l tier -d 'Tier: prod gets a strict allowlist and larger quota' -r -f -a "dev\t'Permissive: may use every region (`--regions \'*\'`)'
prod\t'Strict: an explicit region allowlist'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l admin -d 'The tenant\'s first admin (gets role tenant-admin of this tenant)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:create" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -l all -d 'Include deleted tenants'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:list" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:show" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l name -d 'New display name' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l regions -d 'New allowed regions (replaces the list)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l tier -d 'New tier' -r -f -a "dev\t'Permissive: may use every region (`--regions \'*\'`)'
prod\t'Strict: an explicit region allowlist'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:update" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:delete" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand tenant:manifests" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -l role -d 'The role to grant' -r -f -a "platform-admin\t'Everything, on every tenant'
tenant-admin\t'Manage one tenant (needs --tenant)'
viewer\t'Read one tenant (needs --tenant)'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -l tenant -d 'The tenant the role is for (tenant-admin, viewer)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:add" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -l role -d 'The role to grant' -r -f -a "platform-admin\t'Everything, on every tenant'
tenant-admin\t'Manage one tenant (needs --tenant)'
viewer\t'Read one tenant (needs --tenant)'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -l tenant -d 'The tenant the role is for (tenant-admin, viewer)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:remove" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -l tenant -d 'Only the roles of this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand user:list" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -l tenant -d 'Only events of this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -l since -d 'Only events since a date (`2026-11-01`), an instant (RFC 3339) or an age (`36h`, `7d`)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s n -l limit -d 'At most this many events, the most recent' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:log" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand audit:verify" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -l templates -d 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:list" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -l templates -d 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:validate" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -l templates -d 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -l format -d 'Output format' -r -f -a "text\t''
dot\t''
mermaid\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:graph" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l templates -d 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s p -l param -d 'A param as NAME=VALUE (lists: comma-separated); repeatable' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l tenant -d 'The tenant the run is for (steps see it as $MAESTRO_TENANT)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s j -l jobs -d 'At most this many steps at once' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -l dry-run -d 'Print the plan (waves of steps) and run nothing'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:run" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:status" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -l tenant -d 'Only runs of this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -l status -d 'Only runs with this status' -r -f -a "running\t''
succeeded\t''
failed\t''
interrupted\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s n -l limit -d 'At most this many' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:runs" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:logs" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -l templates -d 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand flow:resume" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l tenant -d 'Only this tenant\'s' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l service -d 'Only this service\'s' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l env -d 'Only this env\'s' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand deploy:list" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l input -d 'A JSON input document, or `-` for stdin' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l input-lines -d 'JSON lines, one input per line (`-` for stdin): one decision each' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l query -d 'The policy document to ask, e.g. `data.maestro.residency`' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l format -d 'Report for CI instead of --output' -r -f -a "junit\t''
tap\t''
sarif\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l engine -d 'The engine that decides [default: `[policy] engine`, else regorus]' -r -f -a "regorus\t'regorus: the Rego source of `policies/` (or `[policy] dir`)'
opa-wasm\t'OPA-built wasm (`opa build -t wasm`); needs a build with `--features opa-wasm`'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l bundle -d 'For `--engine opa-wasm`: an OPA-built policy.wasm or bundle.tar.gz [default: `[policy] bundle`]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -l list-entrypoints -d 'List the entry points of the opa-wasm bundle, then stop'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -f -a "deploy" -d 'The residency gate of a deploy, with input built from the store and configuration'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and not __fish_seen_subcommand_from deploy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l tenant -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l service -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l env -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l cluster -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l format -d 'Report for CI instead of --output' -r -f -a "junit\t''
tap\t''
sarif\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l engine -d 'The engine that decides [default: `[policy] engine`, else regorus]' -r -f -a "regorus\t'regorus: the Rego source of `policies/` (or `[policy] dir`)'
opa-wasm\t'OPA-built wasm (`opa build -t wasm`); needs a build with `--features opa-wasm`'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l bundle -d 'For `--engine opa-wasm`: an OPA-built policy.wasm or bundle.tar.gz [default: `[policy] bundle`]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from deploy" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from help" -f -a "deploy" -d 'The residency gate of a deploy, with input built from the store and configuration'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:check; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:test" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -l tenant -d 'Only decisions about this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -l decision -d 'Only allows or only denials' -r -f -a "allow\t''
deny\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s n -l limit -d 'At most this many, the most recent' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:log" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:drift" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l policies -d 'A directory of *.rego files [default: `[policy] dir`, else the built-in policies]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l data -d 'A JSON data document used instead of the bundle\'s data.json' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l query -d 'The document to evaluate, e.g. `data.maestro.residency.decision`' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l input-lines -d 'JSON lines, one input per line (`-` for stdin)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:eval" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -l out -d 'The directory to write (created if need be)' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand policy:bundle" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -l dir -d 'Where to write maestro-pack.key and maestro-pack.pub' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -l passphrase-env -d 'The name of an environment variable holding a passphrase for the secret key' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:keygen" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l tenant -d 'The tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l from -d 'First day of the period (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l to -d 'Last day of the period (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l key -d 'The secret key from pack:keygen' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l passphrase-env -d 'The name of an environment variable holding the key\'s passphrase' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l out -d 'The archive to write [default: pack-<tenant>.tar.gz]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l dir -d 'Write the files into an empty directory instead of an archive' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:export" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -l pubkey -d 'The public key you trust [default: the one inside the pack, with a warning]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand pack:verify" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l repo -d 'A repository\'s working tree (repeatable); default: the repositories in [signals]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l tenant -d 'The tenant owning --repo; with repositories from the config, only that tenant\'s' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l since -d 'Only commits committed on or after this UTC day (YYYY-MM-DD)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l branch -d 'Branch or ref to mine [default: the repository\'s HEAD]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l logs -d 'A syslog/auth.log file to scan for security signals (repeatable; `-` is stdin, `.gz` is read)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l year -d 'Year of year-less syslog timestamps [default: from the file\'s mtime]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l stats -d 'Also count files and lines changed per commit (slower)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -l wait -d 'Wait for another run to finish instead of exiting'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:mine" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l by -d 'Group by' -r -f -a "day\t'Commit date in UTC'
week\t'ISO 8601 week of the UTC commit date (`2026-W48`)'
repo\t''
author\t''
type\t'Conventional-commit type'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l tenant -d 'Only this tenant\'s repositories' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l since -d 'From this UTC day (inclusive, YYYY-MM-DD)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l until -d 'Up to this UTC day (exclusive, YYYY-MM-DD)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:report" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l since -d 'Only alerts at or after this day (the log\'s own time)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l until -d 'Only alerts before this day' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l level -d 'Only alerts of this level or higher' -r -f -a "low\t''
medium\t''
high\t''
critical\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l tenant -d 'Only alerts of this tenant\'s hosts' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand signals:alerts" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -l format -d 'focus (FOCUS 1.0 CSV), csv (the same columns), jsonl (an object per line)' -r -f -a "focus\t'FinOps FOCUS 1.0 CSV'
csv\t'A CSV with the FOCUS columns (the same reader as `focus`)'
jsonl\t'One JSON object per line, keyed by FOCUS column names'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -l skip-bad -d 'Leave malformed rows out (counted and listed) instead of stopping'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:ingest" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l from -d 'First day (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l to -d 'Last day (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l by -d 'Group by these dimensions, comma-separated' -r -f -a "tenant\t''
service\t''
env\t''
region\t''
provider\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l top -d 'How many top cost drivers (services and resources) to list' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l tenant -d 'Only this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand cost:report" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -l skip-bad -d 'Leave malformed lines out (counted and listed) instead of stopping'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:ingest" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l from -d 'First day of the window (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l to -d 'Last day of the window (UTC, inclusive)' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l tenant -d 'Only this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:baseline" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l phase -d 'warn: report breaches, exit 0; gate: exit 3 on any breach [default: [perf] phase]' -r -f -a "warn\t''
gate\t''"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l from -d 'First day of the window [default: the last day with data]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l to -d 'Last day of the window [default: --from]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l tenant -d 'Only this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l budgets -d 'Budgets from this TOML file (`[budgets.<service>]`) instead of [perf.budgets]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand perf:check" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -l tenant -d 'Fix the dashboard to this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -l out -d 'Write to this file instead of stdout' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:export" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -l tenant -d 'Fix the dashboard to this tenant' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand dashboard:publish" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -l apply -d 'Queue the schema for the neo4j adapters instead of printing it'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:schema" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -l out -d 'The file to write (`-`: stdout)' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand intelgraph:export" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -l adapter -d 'Only this adapter' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -l once -d 'One batch per adapter, then stop'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -l adapter -d 'Only this adapter' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:dead" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -l adapter -d 'Only for this adapter [default: every adapter that gave it up]' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand sync:retry" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -l dir -d 'Where the environment lives (its config, state, keys and packs)' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -l name -d 'A name for it' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:up" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -l dir -d 'The directory trial:up made' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand trial:down" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand status" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -l dir -d 'Write the scripts of all shells into DIR instead' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -l state -d 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -l config -d 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]' -r -F
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -l actor -d 'The acting principal, an e-mail-like id recorded in the audit log' -r
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -s o -l output -d 'Output format of the data on stdout' -r -f -a "table\t'Aligned columns for people'
json\t'Stable JSON for scripts (shapes documented in docs/guide.md)'
csv\t'RFC 4180 CSV with a header row; formula-like cells neutralised'"
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -s q -l quiet -d 'Print nothing but requested data and errors'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -s v -l verbose -d 'Say more on stderr (which state and config files are used)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand completions" -s V -l version -d 'Print version'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "init" -d 'Create the state file and make the actor its first platform admin'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:create" -d 'Create a tenant with its isolation boundary and its admin'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:list" -d 'List tenants (those the actor may see)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:show" -d 'Show one tenant'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:update" -d 'Change a tenant\'s name, tier or allowed regions (audited with old and new values)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:delete" -d 'Mark a tenant deleted (its data is kept)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "tenant:manifests" -d 'Print a tenant\'s isolation boundary as Kubernetes manifests'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "user:add" -d 'Grant a role to a principal (created if new)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "user:remove" -d 'Revoke a role from a principal (a tenant admin: roles of their tenant)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "user:list" -d 'List principals and their roles (those the actor may see)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "audit:log" -d 'List audit events (those of the actor\'s tenants unless platform admin)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "audit:verify" -d 'Recompute the audit hash chain; exit 4 naming the first bad event if it is broken'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:list" -d 'List flow templates (built-in and from --templates DIR)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:validate" -d 'Check a template: YAML, ids, needs, kinds, params, cycles; exit 4 on problems'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:graph" -d 'Print a flow\'s dependency graph (text waves, Graphviz dot or Mermaid)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:run" -d 'Run a flow: at most --jobs steps at once, checkpointed, resumable'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:status" -d 'Show a run and its steps'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:runs" -d 'List runs, newest first'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:logs" -d 'Print the captured output of a run\'s attempts'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "flow:resume" -d 'Continue a run after a crash, a failure or Ctrl-C'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "deploy:list" -d 'List deployments, newest first: what runs where, and what ran before'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:check" -d 'Ask the policies for a decision; exit 0 allow, 3 deny (every decision is logged)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:test" -d 'Run the policies\' tests (test_* rules; todo_test_* are skipped); exit 4 on failure'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:log" -d 'The decision log'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:drift" -d 'Re-check the current state against today\'s policies; exit 4 when something drifted'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:eval" -d 'Evaluate a query without state or log (like `opa eval`): one JSON result per input line'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "policy:bundle" -d 'Write the policy bundle in use (the built-in one unless `[policy] dir`) to a directory'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "pack:keygen" -d 'Make a signing key pair in minisign format (the secret key file is 0600)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "pack:export" -d 'Export a tenant\'s signed, deterministic disclosure pack'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "pack:verify" -d 'Check a pack: entries, manifest, signature, audit events; exit 4 listing every problem'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "signals:mine" -d 'Mine commit signals from git repositories, and security alerts from system logs'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "signals:report" -d 'Commit signals grouped by day, week, repository, author or type'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "signals:alerts" -d 'Security alerts raised from system logs'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "cost:ingest" -d 'Ingest a FinOps FOCUS billing file (CSV, or .gz), attributing each row to a tenant'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "cost:report" -d 'Cost per tenant / service / env / region / provider, shares, and top cost drivers'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "perf:ingest" -d 'Ingest request logs (JSON lines, or CSV; .gz read): daily p50/p95/p99 and error rates'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "perf:baseline" -d 'Set (or show) the baseline that later windows are compared with'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "perf:check" -d 'Compare the latest window with the budgets and the baseline: warn (exit 0) or gate (exit 3)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "dashboard:export" -d 'Export a Grafana dashboard: Summitsight Pulse or Platform P&L'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "dashboard:publish" -d 'Queue a dashboard for Grafana (the [[adapters]] of kind grafana; `sync` posts it)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "intelgraph:schema" -d 'Print the IntelGraph core schema (Cypher), or queue it for Neo4j with --apply'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "intelgraph:export" -d 'Write the graph\'s Cypher statements for cypher-shell'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "sync" -d 'Deliver the outbox to the remote backends in [[adapters]]'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "sync:dead" -d 'Deliveries given up on (dead letter)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "sync:retry" -d 'Put a dead delivery back in the queue'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "trial:up" -d 'Stand up a trial environment in one directory: two tenants, deploys, the staged deny, packs'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "trial:down" -d 'Remove a trial environment made by trial:up (and only that), writing a teardown record'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "status" -d 'The installation\'s health: state, integrity, audit chain, policies; `System Online`'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and not __fish_seen_subcommand_from init tenant:create tenant:list tenant:show tenant:update tenant:delete tenant:manifests user:add user:remove user:list audit:log audit:verify flow:list flow:validate flow:graph flow:run flow:status flow:runs flow:logs flow:resume deploy:list policy:check policy:test policy:log policy:drift policy:eval policy:bundle pack:keygen pack:export pack:verify signals:mine signals:report signals:alerts cost:ingest cost:report perf:ingest perf:baseline perf:check dashboard:export dashboard:publish intelgraph:schema intelgraph:export sync sync:dead sync:retry trial:up trial:down status completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c maestro-cli -n "__fish_maestro_cli_using_subcommand help; and __fish_seen_subcommand_from policy:check" -f -a "deploy" -d 'The residency gate of a deploy, with input built from the store and configuration'
