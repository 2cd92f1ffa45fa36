
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'maestro-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'maestro-cli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'maestro-cli' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the state file and make the actor its first platform admin')
            [CompletionResult]::new('tenant:create', 'tenant:create', [CompletionResultType]::ParameterValue, 'Create a tenant with its isolation boundary and its admin')
            [CompletionResult]::new('tenant:list', 'tenant:list', [CompletionResultType]::ParameterValue, 'List tenants (those the actor may see)')
            [CompletionResult]::new('tenant:show', 'tenant:show', [CompletionResultType]::ParameterValue, 'Show one tenant')
            [CompletionResult]::new('tenant:update', 'tenant:update', [CompletionResultType]::ParameterValue, 'Change a tenant''s name, tier or allowed regions (audited with old and new values)')
            [CompletionResult]::new('tenant:delete', 'tenant:delete', [CompletionResultType]::ParameterValue, 'Mark a tenant deleted (its data is kept)')
            [CompletionResult]::new('tenant:manifests', 'tenant:manifests', [CompletionResultType]::ParameterValue, 'Print a tenant''s isolation boundary as Kubernetes manifests')
            [CompletionResult]::new('user:add', 'user:add', [CompletionResultType]::ParameterValue, 'Grant a role to a principal (created if new)')
            [CompletionResult]::new('user:remove', 'user:remove', [CompletionResultType]::ParameterValue, 'Revoke a role from a principal (a tenant admin: roles of their tenant)')
            [CompletionResult]::new('user:list', 'user:list', [CompletionResultType]::ParameterValue, 'List principals and their roles (those the actor may see)')
            [CompletionResult]::new('audit:log', 'audit:log', [CompletionResultType]::ParameterValue, 'List audit events (those of the actor''s tenants unless platform admin)')
            [CompletionResult]::new('audit:verify', 'audit:verify', [CompletionResultType]::ParameterValue, 'Recompute the audit hash chain (and, with --checkpoint, the log against a checkpoint kept elsewhere); exit 4 naming the first bad event')
            [CompletionResult]::new('audit:keygen', 'audit:keygen', [CompletionResultType]::ParameterValue, 'Make the log''s signing key pair (the signer key file is 0600; it is not the pack key)')
            [CompletionResult]::new('audit:checkpoint', 'audit:checkpoint', [CompletionResultType]::ParameterValue, 'Sign a checkpoint of the log''s Merkle tree and queue it for the witnesses (SIEM, syslog, webhooks)')
            [CompletionResult]::new('audit:prove', 'audit:prove', [CompletionResultType]::ParameterValue, 'Print an event''s inclusion proof against the newest checkpoint that covers it')
            [CompletionResult]::new('flow:list', 'flow:list', [CompletionResultType]::ParameterValue, 'List flow templates (built-in and from --templates DIR)')
            [CompletionResult]::new('flow:validate', 'flow:validate', [CompletionResultType]::ParameterValue, 'Check a template: YAML, ids, needs, kinds, params, cycles; exit 4 on problems')
            [CompletionResult]::new('flow:graph', 'flow:graph', [CompletionResultType]::ParameterValue, 'Print a flow''s dependency graph (text waves, Graphviz dot or Mermaid)')
            [CompletionResult]::new('flow:run', 'flow:run', [CompletionResultType]::ParameterValue, 'Run a flow: at most --jobs steps at once, checkpointed, resumable')
            [CompletionResult]::new('flow:status', 'flow:status', [CompletionResultType]::ParameterValue, 'Show a run and its steps')
            [CompletionResult]::new('flow:runs', 'flow:runs', [CompletionResultType]::ParameterValue, 'List runs, newest first')
            [CompletionResult]::new('flow:logs', 'flow:logs', [CompletionResultType]::ParameterValue, 'Print the captured output of a run''s attempts')
            [CompletionResult]::new('flow:resume', 'flow:resume', [CompletionResultType]::ParameterValue, 'Continue a run after a crash, a failure or Ctrl-C')
            [CompletionResult]::new('deploy:list', 'deploy:list', [CompletionResultType]::ParameterValue, 'List deployments, newest first: what runs where, and what ran before')
            [CompletionResult]::new('policy:check', 'policy:check', [CompletionResultType]::ParameterValue, 'Ask the policies for a decision; exit 0 allow, 3 deny (every decision is logged)')
            [CompletionResult]::new('policy:test', 'policy:test', [CompletionResultType]::ParameterValue, 'Run the policies'' tests (test_* rules; todo_test_* are skipped); exit 4 on failure')
            [CompletionResult]::new('policy:log', 'policy:log', [CompletionResultType]::ParameterValue, 'The decision log')
            [CompletionResult]::new('policy:drift', 'policy:drift', [CompletionResultType]::ParameterValue, 'Re-check the current state against today''s policies; exit 4 when something drifted')
            [CompletionResult]::new('policy:eval', 'policy:eval', [CompletionResultType]::ParameterValue, 'Evaluate a query without state or log (like `opa eval`): one JSON result per input line')
            [CompletionResult]::new('policy:bundle', 'policy:bundle', [CompletionResultType]::ParameterValue, 'Write the policy bundle in use (the built-in one unless `[policy] dir`) to a directory')
            [CompletionResult]::new('pack:keygen', 'pack:keygen', [CompletionResultType]::ParameterValue, 'Make a signing key pair in minisign format (the secret key file is 0600)')
            [CompletionResult]::new('pack:export', 'pack:export', [CompletionResultType]::ParameterValue, 'Export a tenant''s signed, deterministic disclosure pack')
            [CompletionResult]::new('pack:verify', 'pack:verify', [CompletionResultType]::ParameterValue, 'Check a pack: entries, manifest, signature, audit events; exit 4 listing every problem')
            [CompletionResult]::new('signals:mine', 'signals:mine', [CompletionResultType]::ParameterValue, 'Mine commit signals from git repositories, and security alerts from system logs')
            [CompletionResult]::new('signals:report', 'signals:report', [CompletionResultType]::ParameterValue, 'Commit signals grouped by day, week, repository, author or type')
            [CompletionResult]::new('signals:alerts', 'signals:alerts', [CompletionResultType]::ParameterValue, 'Security alerts raised from system logs')
            [CompletionResult]::new('cost:ingest', 'cost:ingest', [CompletionResultType]::ParameterValue, 'Ingest a FinOps FOCUS billing file (CSV, or .gz), attributing each row to a tenant')
            [CompletionResult]::new('cost:report', 'cost:report', [CompletionResultType]::ParameterValue, 'Cost per tenant / service / env / region / provider, shares, and top cost drivers')
            [CompletionResult]::new('perf:ingest', 'perf:ingest', [CompletionResultType]::ParameterValue, 'Ingest request logs (JSON lines, or CSV; .gz read): daily p50/p95/p99 and error rates')
            [CompletionResult]::new('perf:baseline', 'perf:baseline', [CompletionResultType]::ParameterValue, 'Set (or show) the baseline that later windows are compared with')
            [CompletionResult]::new('perf:check', 'perf:check', [CompletionResultType]::ParameterValue, 'Compare the latest window with the budgets and the baseline: warn (exit 0) or gate (exit 3)')
            [CompletionResult]::new('dashboard:export', 'dashboard:export', [CompletionResultType]::ParameterValue, 'Export a Grafana dashboard: Summitsight Pulse or Platform P&L')
            [CompletionResult]::new('dashboard:publish', 'dashboard:publish', [CompletionResultType]::ParameterValue, 'Queue a dashboard for Grafana (the [[adapters]] of kind grafana; `sync` posts it)')
            [CompletionResult]::new('intelgraph:schema', 'intelgraph:schema', [CompletionResultType]::ParameterValue, 'Print the IntelGraph core schema (Cypher), or queue it for Neo4j with --apply')
            [CompletionResult]::new('intelgraph:export', 'intelgraph:export', [CompletionResultType]::ParameterValue, 'Write the graph''s Cypher statements for cypher-shell')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Deliver the outbox to the remote backends in [[adapters]]')
            [CompletionResult]::new('sync:dead', 'sync:dead', [CompletionResultType]::ParameterValue, 'Deliveries given up on (dead letter)')
            [CompletionResult]::new('sync:retry', 'sync:retry', [CompletionResultType]::ParameterValue, 'Put a dead delivery back in the queue')
            [CompletionResult]::new('trial:up', 'trial:up', [CompletionResultType]::ParameterValue, 'Stand up a trial environment in one directory: two tenants, deploys, the staged deny, packs')
            [CompletionResult]::new('trial:down', 'trial:down', [CompletionResultType]::ParameterValue, 'Remove a trial environment made by trial:up (and only that), writing a teardown record')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The installation''s health: state, integrity, audit chain, policies; `System Online`')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'The completion candidates of a command line, for the scripts of `completions`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'maestro-cli;init' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name [default: the id]')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Allowed regions, comma-separated ids of the catalogue; `*` for a dev tenant')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Tier: prod gets a strict allowlist and larger quota')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'The tenant''s first admin (gets role tenant-admin of this tenant)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:list' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include deleted tenants')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:show' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:update' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New display name')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'New allowed regions (replaces the list)')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'New tier')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:delete' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (needed where there is no terminal to ask on)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (needed where there is no terminal to ask on)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;tenant:manifests' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;user:add' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The role to grant')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'The tenant the role is for (tenant-admin, viewer)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;user:remove' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The role to grant')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'The tenant the role is for (tenant-admin, viewer)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before revoking an admin role (needed where there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before revoking an admin role (needed where there is no terminal)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;user:list' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only the roles of this tenant')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;audit:log' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only events of this tenant')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since a date (`2026-11-01`), an instant (RFC 3339) or an age (`36h`, `7d`, `1d12h`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'At most this many events, the most recent')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many events, the most recent')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;audit:verify' {
            [CompletionResult]::new('--checkpoint', '--checkpoint', [CompletionResultType]::ParameterName, 'A signed checkpoint kept outside the state (from a witness): the log must extend it')
            [CompletionResult]::new('--pubkey', '--pubkey', [CompletionResultType]::ParameterName, 'The log''s verifier key (from audit:keygen), to check the checkpoint''s signature')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;audit:keygen' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to write maestro-log.key and maestro-log.pub')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'The log''s name: every checkpoint''s first line (a schema-less URL, no spaces)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;audit:checkpoint' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The log''s signer key (from audit:keygen)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Also write the signed note to this file')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;audit:prove' {
            [CompletionResult]::new('--seq', '--seq', [CompletionResultType]::ParameterName, 'The event''s sequence number (first column of audit:log)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:list' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:validate' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:graph' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:run' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A param as NAME=VALUE (lists: comma-separated); repeatable')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A param as NAME=VALUE (lists: comma-separated); repeatable')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'The tenant the run is for (steps see it as $MAESTRO_TENANT)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'At most this many steps at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'At most this many steps at once')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (waves of steps) and run nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:status' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Show the run again each time it changes, until it ends (JSON: one line a change)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Show the run again each time it changes, until it ends (JSON: one line a change)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:runs' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only runs of this tenant')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only runs with this status')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'At most this many')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:logs' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Print each attempt as it finishes, until the run ends (JSON: one line an attempt)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Print each attempt as it finishes, until the run ends (JSON: one line an attempt)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;flow:resume' {
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'A directory of *.yaml templates (overrides built-ins of the same name); repeatable')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;deploy:list' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only this tenant''s')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only this service''s')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Only this env''s')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:check' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'A JSON input document, or `-` for stdin')
            [CompletionResult]::new('--input-lines', '--input-lines', [CompletionResultType]::ParameterName, 'JSON lines, one input per line (`-` for stdin): one decision each')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The policy document to ask, e.g. `data.maestro.residency`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report for CI instead of --output')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'The engine that decides [default: `[policy] engine`, else regorus]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'For `--engine opa-wasm`: an OPA-built policy.wasm or bundle.tar.gz [default: `[policy] bundle`]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--list-entrypoints', '--list-entrypoints', [CompletionResultType]::ParameterName, 'List the entry points of the opa-wasm bundle, then stop')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'The residency gate of a deploy, with input built from the store and configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'maestro-cli;policy:check;deploy' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'tenant')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'service')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'env')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'cluster')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report for CI instead of --output')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'The engine that decides [default: `[policy] engine`, else regorus]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'For `--engine opa-wasm`: an OPA-built policy.wasm or bundle.tar.gz [default: `[policy] bundle`]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:check;help' {
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'The residency gate of a deploy, with input built from the store and configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'maestro-cli;policy:check;help;deploy' {
            break
        }
        'maestro-cli;policy:check;help;help' {
            break
        }
        'maestro-cli;policy:test' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:log' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only decisions about this tenant')
            [CompletionResult]::new('--decision', '--decision', [CompletionResultType]::ParameterName, 'Only allows or only denials')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'At most this many, the most recent')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many, the most recent')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the decision(s) whose id starts with this (at least 4 characters)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:drift' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:eval' {
            [CompletionResult]::new('--policies', '--policies', [CompletionResultType]::ParameterName, 'A directory of *.rego files [default: `[policy] dir`, else the built-in policies]')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'A JSON data document used instead of the bundle''s data.json')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The document to evaluate, e.g. `data.maestro.residency.decision`')
            [CompletionResult]::new('--input-lines', '--input-lines', [CompletionResultType]::ParameterName, 'JSON lines, one input per line (`-` for stdin)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;policy:bundle' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write (created if need be)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;pack:keygen' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to write maestro-pack.key and maestro-pack.pub')
            [CompletionResult]::new('--passphrase-env', '--passphrase-env', [CompletionResultType]::ParameterName, 'The name of an environment variable holding a passphrase for the secret key')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;pack:export' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'The tenant')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First day of the period (UTC, inclusive)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last day of the period (UTC, inclusive)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The secret key from pack:keygen')
            [CompletionResult]::new('--passphrase-env', '--passphrase-env', [CompletionResultType]::ParameterName, 'The name of an environment variable holding the key''s passphrase')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The archive to write [default: pack-<tenant>.tar.gz]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write the files into an empty directory instead of an archive')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;pack:verify' {
            [CompletionResult]::new('--pubkey', '--pubkey', [CompletionResultType]::ParameterName, 'The public key you trust [default: the one inside the pack, with a warning]')
            [CompletionResult]::new('--log-pubkey', '--log-pubkey', [CompletionResultType]::ParameterName, 'The audit log''s verifier key (audit:keygen), to check the signature of the log checkpoint the pack''s events are proven against')
            [CompletionResult]::new('--checkpoint', '--checkpoint', [CompletionResultType]::ParameterName, 'A checkpoint of the audit log you received elsewhere (e.g. from your SIEM): the pack''s must be the same tree or extend it')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;signals:mine' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'A repository''s working tree (repeatable); default: the repositories in [signals]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'The tenant owning --repo; with repositories from the config, only that tenant''s')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only commits committed on or after this UTC day (YYYY-MM-DD)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or ref to mine [default: the repository''s HEAD]')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'A syslog/auth.log file to scan for security signals (repeatable; `-` is stdin, `.gz` is read)')
            [CompletionResult]::new('--year', '--year', [CompletionResultType]::ParameterName, 'Year of year-less syslog timestamps [default: from the file''s mtime]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Also count files and lines changed per commit (slower)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for another run to finish instead of exiting')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;signals:report' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only this tenant''s repositories')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this UTC day (inclusive, YYYY-MM-DD)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Up to this UTC day (exclusive, YYYY-MM-DD)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;signals:alerts' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only alerts at or after this day (the log''s own time)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only alerts before this day')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only alerts of this level or higher')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only alerts of this tenant''s hosts')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;cost:ingest' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'focus (FOCUS 1.0 CSV), csv (the same columns), jsonl (an object per line)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--skip-bad', '--skip-bad', [CompletionResultType]::ParameterName, 'Leave malformed rows out (counted and listed) instead of stopping')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;cost:report' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First day (UTC, inclusive)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last day (UTC, inclusive)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by these dimensions, comma-separated; `day`, `week` (ISO) and `month` group over time (rows then in time order)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many top cost drivers (services and resources) to list')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only this tenant')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;perf:ingest' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--skip-bad', '--skip-bad', [CompletionResultType]::ParameterName, 'Leave malformed lines out (counted and listed) instead of stopping')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;perf:baseline' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First day of the window (UTC, inclusive)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last day of the window (UTC, inclusive)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only this tenant')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;perf:check' {
            [CompletionResult]::new('--phase', '--phase', [CompletionResultType]::ParameterName, 'warn: report breaches, exit 0; gate: exit 3 on any breach [default: [perf] phase]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'First day of the window [default: the last day with data]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Last day of the window [default: --from]')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Only this tenant')
            [CompletionResult]::new('--budgets', '--budgets', [CompletionResultType]::ParameterName, 'Budgets from this TOML file (`[budgets.<service>]`) instead of [perf.budgets]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;dashboard:export' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Fix the dashboard to this tenant')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;dashboard:publish' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Fix the dashboard to this tenant')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;intelgraph:schema' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Queue the schema for the neo4j adapters instead of printing it')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;intelgraph:export' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The file to write (`-`: stdout)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;sync' {
            [CompletionResult]::new('--adapter', '--adapter', [CompletionResultType]::ParameterName, 'Only this adapter')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'One batch per adapter, then stop')
            [CompletionResult]::new('--respect-backoff', '--respect-backoff', [CompletionResultType]::ParameterName, 'Leave a failed row until its retry time (1 s doubling to 5 min), as cron should; by default every pending row is tried now')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;sync:dead' {
            [CompletionResult]::new('--adapter', '--adapter', [CompletionResultType]::ParameterName, 'Only this adapter')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;sync:retry' {
            [CompletionResult]::new('--adapter', '--adapter', [CompletionResultType]::ParameterName, 'Only for this adapter [default: every adapter that gave it up]')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;trial:up' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where the environment lives (its config, state, keys and packs)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A name for it')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;trial:down' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The directory trial:up made')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (needed where there is no terminal to ask on)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (needed where there is no terminal to ask on)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and the policy decision; change nothing')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;status' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write the scripts of all shells into DIR instead')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;__complete' {
            [CompletionResult]::new('--point', '--point', [CompletionResultType]::ParameterName, 'bash: where the cursor is in the line, in bytes (COMP_POINT)')
            [CompletionResult]::new('--breaks', '--breaks', [CompletionResultType]::ParameterName, 'bash: the characters that end a word for readline (COMP_WORDBREAKS)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'State file [default: $MAESTRO_HOME/state.db, MAESTRO_HOME defaults to ~/.local/share/maestro]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ./maestro.toml, then ~/.config/maestro/maestro.toml]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'The acting principal, an e-mail-like id recorded in the audit log')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the data on stdout')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Tables without their header row')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but requested data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr (which state and config files are used)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'maestro-cli;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the state file and make the actor its first platform admin')
            [CompletionResult]::new('tenant:create', 'tenant:create', [CompletionResultType]::ParameterValue, 'Create a tenant with its isolation boundary and its admin')
            [CompletionResult]::new('tenant:list', 'tenant:list', [CompletionResultType]::ParameterValue, 'List tenants (those the actor may see)')
            [CompletionResult]::new('tenant:show', 'tenant:show', [CompletionResultType]::ParameterValue, 'Show one tenant')
            [CompletionResult]::new('tenant:update', 'tenant:update', [CompletionResultType]::ParameterValue, 'Change a tenant''s name, tier or allowed regions (audited with old and new values)')
            [CompletionResult]::new('tenant:delete', 'tenant:delete', [CompletionResultType]::ParameterValue, 'Mark a tenant deleted (its data is kept)')
            [CompletionResult]::new('tenant:manifests', 'tenant:manifests', [CompletionResultType]::ParameterValue, 'Print a tenant''s isolation boundary as Kubernetes manifests')
            [CompletionResult]::new('user:add', 'user:add', [CompletionResultType]::ParameterValue, 'Grant a role to a principal (created if new)')
            [CompletionResult]::new('user:remove', 'user:remove', [CompletionResultType]::ParameterValue, 'Revoke a role from a principal (a tenant admin: roles of their tenant)')
            [CompletionResult]::new('user:list', 'user:list', [CompletionResultType]::ParameterValue, 'List principals and their roles (those the actor may see)')
            [CompletionResult]::new('audit:log', 'audit:log', [CompletionResultType]::ParameterValue, 'List audit events (those of the actor''s tenants unless platform admin)')
            [CompletionResult]::new('audit:verify', 'audit:verify', [CompletionResultType]::ParameterValue, 'Recompute the audit hash chain (and, with --checkpoint, the log against a checkpoint kept elsewhere); exit 4 naming the first bad event')
            [CompletionResult]::new('audit:keygen', 'audit:keygen', [CompletionResultType]::ParameterValue, 'Make the log''s signing key pair (the signer key file is 0600; it is not the pack key)')
            [CompletionResult]::new('audit:checkpoint', 'audit:checkpoint', [CompletionResultType]::ParameterValue, 'Sign a checkpoint of the log''s Merkle tree and queue it for the witnesses (SIEM, syslog, webhooks)')
            [CompletionResult]::new('audit:prove', 'audit:prove', [CompletionResultType]::ParameterValue, 'Print an event''s inclusion proof against the newest checkpoint that covers it')
            [CompletionResult]::new('flow:list', 'flow:list', [CompletionResultType]::ParameterValue, 'List flow templates (built-in and from --templates DIR)')
            [CompletionResult]::new('flow:validate', 'flow:validate', [CompletionResultType]::ParameterValue, 'Check a template: YAML, ids, needs, kinds, params, cycles; exit 4 on problems')
            [CompletionResult]::new('flow:graph', 'flow:graph', [CompletionResultType]::ParameterValue, 'Print a flow''s dependency graph (text waves, Graphviz dot or Mermaid)')
            [CompletionResult]::new('flow:run', 'flow:run', [CompletionResultType]::ParameterValue, 'Run a flow: at most --jobs steps at once, checkpointed, resumable')
            [CompletionResult]::new('flow:status', 'flow:status', [CompletionResultType]::ParameterValue, 'Show a run and its steps')
            [CompletionResult]::new('flow:runs', 'flow:runs', [CompletionResultType]::ParameterValue, 'List runs, newest first')
            [CompletionResult]::new('flow:logs', 'flow:logs', [CompletionResultType]::ParameterValue, 'Print the captured output of a run''s attempts')
            [CompletionResult]::new('flow:resume', 'flow:resume', [CompletionResultType]::ParameterValue, 'Continue a run after a crash, a failure or Ctrl-C')
            [CompletionResult]::new('deploy:list', 'deploy:list', [CompletionResultType]::ParameterValue, 'List deployments, newest first: what runs where, and what ran before')
            [CompletionResult]::new('policy:check', 'policy:check', [CompletionResultType]::ParameterValue, 'Ask the policies for a decision; exit 0 allow, 3 deny (every decision is logged)')
            [CompletionResult]::new('policy:test', 'policy:test', [CompletionResultType]::ParameterValue, 'Run the policies'' tests (test_* rules; todo_test_* are skipped); exit 4 on failure')
            [CompletionResult]::new('policy:log', 'policy:log', [CompletionResultType]::ParameterValue, 'The decision log')
            [CompletionResult]::new('policy:drift', 'policy:drift', [CompletionResultType]::ParameterValue, 'Re-check the current state against today''s policies; exit 4 when something drifted')
            [CompletionResult]::new('policy:eval', 'policy:eval', [CompletionResultType]::ParameterValue, 'Evaluate a query without state or log (like `opa eval`): one JSON result per input line')
            [CompletionResult]::new('policy:bundle', 'policy:bundle', [CompletionResultType]::ParameterValue, 'Write the policy bundle in use (the built-in one unless `[policy] dir`) to a directory')
            [CompletionResult]::new('pack:keygen', 'pack:keygen', [CompletionResultType]::ParameterValue, 'Make a signing key pair in minisign format (the secret key file is 0600)')
            [CompletionResult]::new('pack:export', 'pack:export', [CompletionResultType]::ParameterValue, 'Export a tenant''s signed, deterministic disclosure pack')
            [CompletionResult]::new('pack:verify', 'pack:verify', [CompletionResultType]::ParameterValue, 'Check a pack: entries, manifest, signature, audit events; exit 4 listing every problem')
            [CompletionResult]::new('signals:mine', 'signals:mine', [CompletionResultType]::ParameterValue, 'Mine commit signals from git repositories, and security alerts from system logs')
            [CompletionResult]::new('signals:report', 'signals:report', [CompletionResultType]::ParameterValue, 'Commit signals grouped by day, week, repository, author or type')
            [CompletionResult]::new('signals:alerts', 'signals:alerts', [CompletionResultType]::ParameterValue, 'Security alerts raised from system logs')
            [CompletionResult]::new('cost:ingest', 'cost:ingest', [CompletionResultType]::ParameterValue, 'Ingest a FinOps FOCUS billing file (CSV, or .gz), attributing each row to a tenant')
            [CompletionResult]::new('cost:report', 'cost:report', [CompletionResultType]::ParameterValue, 'Cost per tenant / service / env / region / provider, shares, and top cost drivers')
            [CompletionResult]::new('perf:ingest', 'perf:ingest', [CompletionResultType]::ParameterValue, 'Ingest request logs (JSON lines, or CSV; .gz read): daily p50/p95/p99 and error rates')
            [CompletionResult]::new('perf:baseline', 'perf:baseline', [CompletionResultType]::ParameterValue, 'Set (or show) the baseline that later windows are compared with')
            [CompletionResult]::new('perf:check', 'perf:check', [CompletionResultType]::ParameterValue, 'Compare the latest window with the budgets and the baseline: warn (exit 0) or gate (exit 3)')
            [CompletionResult]::new('dashboard:export', 'dashboard:export', [CompletionResultType]::ParameterValue, 'Export a Grafana dashboard: Summitsight Pulse or Platform P&L')
            [CompletionResult]::new('dashboard:publish', 'dashboard:publish', [CompletionResultType]::ParameterValue, 'Queue a dashboard for Grafana (the [[adapters]] of kind grafana; `sync` posts it)')
            [CompletionResult]::new('intelgraph:schema', 'intelgraph:schema', [CompletionResultType]::ParameterValue, 'Print the IntelGraph core schema (Cypher), or queue it for Neo4j with --apply')
            [CompletionResult]::new('intelgraph:export', 'intelgraph:export', [CompletionResultType]::ParameterValue, 'Write the graph''s Cypher statements for cypher-shell')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Deliver the outbox to the remote backends in [[adapters]]')
            [CompletionResult]::new('sync:dead', 'sync:dead', [CompletionResultType]::ParameterValue, 'Deliveries given up on (dead letter)')
            [CompletionResult]::new('sync:retry', 'sync:retry', [CompletionResultType]::ParameterValue, 'Put a dead delivery back in the queue')
            [CompletionResult]::new('trial:up', 'trial:up', [CompletionResultType]::ParameterValue, 'Stand up a trial environment in one directory: two tenants, deploys, the staged deny, packs')
            [CompletionResult]::new('trial:down', 'trial:down', [CompletionResultType]::ParameterValue, 'Remove a trial environment made by trial:up (and only that), writing a teardown record')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The installation''s health: state, integrity, audit chain, policies; `System Online`')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'The completion candidates of a command line, for the scripts of `completions`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'maestro-cli;help;init' {
            break
        }
        'maestro-cli;help;tenant:create' {
            break
        }
        'maestro-cli;help;tenant:list' {
            break
        }
        'maestro-cli;help;tenant:show' {
            break
        }
        'maestro-cli;help;tenant:update' {
            break
        }
        'maestro-cli;help;tenant:delete' {
            break
        }
        'maestro-cli;help;tenant:manifests' {
            break
        }
        'maestro-cli;help;user:add' {
            break
        }
        'maestro-cli;help;user:remove' {
            break
        }
        'maestro-cli;help;user:list' {
            break
        }
        'maestro-cli;help;audit:log' {
            break
        }
        'maestro-cli;help;audit:verify' {
            break
        }
        'maestro-cli;help;audit:keygen' {
            break
        }
        'maestro-cli;help;audit:checkpoint' {
            break
        }
        'maestro-cli;help;audit:prove' {
            break
        }
        'maestro-cli;help;flow:list' {
            break
        }
        'maestro-cli;help;flow:validate' {
            break
        }
        'maestro-cli;help;flow:graph' {
            break
        }
        'maestro-cli;help;flow:run' {
            break
        }
        'maestro-cli;help;flow:status' {
            break
        }
        'maestro-cli;help;flow:runs' {
            break
        }
        'maestro-cli;help;flow:logs' {
            break
        }
        'maestro-cli;help;flow:resume' {
            break
        }
        'maestro-cli;help;deploy:list' {
            break
        }
        'maestro-cli;help;policy:check' {
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'The residency gate of a deploy, with input built from the store and configuration')
            break
        }
        'maestro-cli;help;policy:check;deploy' {
            break
        }
        'maestro-cli;help;policy:test' {
            break
        }
        'maestro-cli;help;policy:log' {
            break
        }
        'maestro-cli;help;policy:drift' {
            break
        }
        'maestro-cli;help;policy:eval' {
            break
        }
        'maestro-cli;help;policy:bundle' {
            break
        }
        'maestro-cli;help;pack:keygen' {
            break
        }
        'maestro-cli;help;pack:export' {
            break
        }
        'maestro-cli;help;pack:verify' {
            break
        }
        'maestro-cli;help;signals:mine' {
            break
        }
        'maestro-cli;help;signals:report' {
            break
        }
        'maestro-cli;help;signals:alerts' {
            break
        }
        'maestro-cli;help;cost:ingest' {
            break
        }
        'maestro-cli;help;cost:report' {
            break
        }
        'maestro-cli;help;perf:ingest' {
            break
        }
        'maestro-cli;help;perf:baseline' {
            break
        }
        'maestro-cli;help;perf:check' {
            break
        }
        'maestro-cli;help;dashboard:export' {
            break
        }
        'maestro-cli;help;dashboard:publish' {
            break
        }
        'maestro-cli;help;intelgraph:schema' {
            break
        }
        'maestro-cli;help;intelgraph:export' {
            break
        }
        'maestro-cli;help;sync' {
            break
        }
        'maestro-cli;help;sync:dead' {
            break
        }
        'maestro-cli;help;sync:retry' {
            break
        }
        'maestro-cli;help;trial:up' {
            break
        }
        'maestro-cli;help;trial:down' {
            break
        }
        'maestro-cli;help;status' {
            break
        }
        'maestro-cli;help;completions' {
            break
        }
        'maestro-cli;help;__complete' {
            break
        }
        'maestro-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
