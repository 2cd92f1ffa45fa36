package maestro.abac_test

import rego.v1

import data.maestro.abac

admin_acme := [{"role": "tenant-admin", "tenant": "acme"}]

viewer_acme := [{"role": "viewer", "tenant": "acme"}]

platform := [{"role": "platform-admin", "tenant": null}]

test_platform_admin_may_do_anything_and_is_audited if {
	d := abac.decision with input as {"actor": "ops@x", "action": "tenant:create", "tenant": "acme", "roles": platform}
	d.allow
	d.audit
}

test_tenant_admin_manages_own_tenant if {
	d := abac.decision with input as {"actor": "a@acme", "action": "tenant:update", "tenant": "acme", "roles": admin_acme}
	d.allow
	not d.audit
}

test_tenant_admin_of_acme_on_globex_is_denied if {
	d := abac.decision with input as {"actor": "a@acme", "action": "tenant:update", "tenant": "globex", "roles": admin_acme}
	not d.allow
	d.deny == ["it needs tenant-admin of `globex`; `a@acme` holds no role for `globex`"]
}

test_tenant_admin_cannot_create_tenants if {
	d := abac.decision with input as {"actor": "a@acme", "action": "tenant:create", "tenant": "acme", "roles": admin_acme}
	not d.allow
	d.deny == ["it needs the platform-admin role; `a@acme` is not a platform admin"]
}

test_a_denial_never_names_another_tenant if {
	d := abac.decision with input as {"actor": "a@acme", "action": "tenant:update", "tenant": "globex", "roles": [{"role": "tenant-admin", "tenant": "acme"}, {"role": "viewer", "tenant": "globex"}]}
	not d.allow
	d.deny == ["it needs tenant-admin of `globex`; `a@acme` is viewer of `globex`"]
	every m in d.deny {
		not contains(m, "of `acme`")
	}
}

test_viewer_reads_but_does_not_write if {
	abac.allow with input as {"actor": "v@acme", "action": "tenant:show", "tenant": "acme", "roles": viewer_acme}
	not abac.allow with input as {"actor": "v@acme", "action": "tenant:update", "tenant": "acme", "roles": viewer_acme}
}

test_unknown_principal_is_denied if {
	d := abac.decision with input as {"actor": "m@evil", "action": "tenant:show", "tenant": "acme", "roles": []}
	not d.allow
	d.deny == ["`m@evil` holds no role"]
}

test_unknown_action_needs_platform_admin if {
	not abac.allow with input as {"actor": "a@acme", "action": "tenant:frobnicate", "tenant": "acme", "roles": admin_acme}
}

todo_test_attribute_conditions_on_time_of_day if {
	false
}

test_signals_mining_is_for_tenant_admins_and_reading_for_viewers if {
	abac.allow with input as {"actor": "a@acme", "action": "signals:mine", "tenant": "acme", "roles": admin_acme}
	not abac.allow with input as {"actor": "v@acme", "action": "signals:mine", "tenant": "acme", "roles": viewer_acme}
	not abac.allow with input as {"actor": "a@acme", "action": "signals:mine", "tenant": null, "roles": admin_acme}
	abac.allow with input as {"actor": "v@acme", "action": "signals:report", "tenant": "acme", "roles": viewer_acme}
	abac.allow with input as {"actor": "v@acme", "action": "signals:alerts", "tenant": "acme", "roles": viewer_acme}
	not abac.allow with input as {"actor": "v@acme", "action": "signals:alerts", "tenant": "globex", "roles": viewer_acme}
}

test_cost_ingest_is_for_platform_admins_and_reports_for_viewers if {
	abac.allow with input as {"actor": "ops@x", "action": "cost:ingest", "tenant": null, "roles": platform}
	not abac.allow with input as {"actor": "a@acme", "action": "cost:ingest", "tenant": "acme", "roles": admin_acme}
	abac.allow with input as {"actor": "v@acme", "action": "cost:report", "tenant": "acme", "roles": viewer_acme}
	not abac.allow with input as {"actor": "v@acme", "action": "cost:report", "tenant": "globex", "roles": viewer_acme}
}

test_perf_baselines_are_for_tenant_admins_and_checks_for_viewers if {
	abac.allow with input as {"actor": "a@acme", "action": "perf:baseline", "tenant": "acme", "roles": admin_acme}
	not abac.allow with input as {"actor": "v@acme", "action": "perf:baseline", "tenant": "acme", "roles": viewer_acme}
	abac.allow with input as {"actor": "v@acme", "action": "perf:check", "tenant": "acme", "roles": viewer_acme}
	not abac.allow with input as {"actor": "a@acme", "action": "perf:ingest", "tenant": null, "roles": admin_acme}
}

test_a_tenant_admin_removes_roles_of_their_tenant_only if {
	abac.allow with input as {"actor": "a@acme", "action": "user:remove", "tenant": "acme", "roles": admin_acme}
	not abac.allow with input as {"actor": "a@acme", "action": "user:remove", "tenant": "globex", "roles": admin_acme}
	not abac.allow with input as {"actor": "a@acme", "action": "user:remove-platform-admin", "tenant": null, "roles": admin_acme}
	abac.allow with input as {"actor": "ops@x", "action": "user:remove-platform-admin", "tenant": null, "roles": platform}
}
