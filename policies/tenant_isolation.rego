# Tenant isolation (TEN-2): an actor or resource of one tenant touching another tenant is
# denied, unless an exception in data names both tenants with a reason, an approver and an
# expiry that has not passed (input.now, RFC 3339 UTC, so the decision is reproducible).
#
# input: {"actor_tenant": "acme", "resource_tenant": "globex", "action": "read", "now": "2026-11-25T10:00:00Z"}
# data:  exceptions = [{"id": "EX-1", "from_tenant": "acme", "to_tenant": "globex",
#                       "reason": "...", "approver": "...", "expires_at": "2027-01-01T00:00:00Z"}]
package maestro.tenant_isolation

import rego.v1

default exceptions := []

exceptions := data.exceptions

actor_tenant := object.get(input, "actor_tenant", "")

resource_tenant := object.get(input, "resource_tenant", "")

now := object.get(input, "now", "")

same_tenant if {
	actor_tenant != ""
	actor_tenant == resource_tenant
}

complete(e) if {
	object.get(e, "reason", "") != ""
	object.get(e, "approver", "") != ""
	object.get(e, "expires_at", "") != ""
}

naming_both contains e if {
	some e in exceptions
	object.get(e, "from_tenant", "") == actor_tenant
	object.get(e, "to_tenant", "") == resource_tenant
}

applicable contains e.id if {
	some e in naming_both
	complete(e)
	now != ""
	e.expires_at > now
}

expired contains e.id if {
	some e in naming_both
	complete(e)
	e.expires_at <= now
}

deny contains msg if {
	actor_tenant == ""
	msg := "tenant isolation: input names no actor_tenant"
}

deny contains msg if {
	resource_tenant == ""
	msg := "tenant isolation: input names no resource_tenant"
}

deny contains msg if {
	actor_tenant != ""
	resource_tenant != ""
	not same_tenant
	count(applicable) == 0
	msg := sprintf(
		"tenant isolation: tenant `%v` may not %v resources of tenant `%v` without an exception",
		[actor_tenant, object.get(input, "action", "access"), resource_tenant],
	)
}

deny contains msg if {
	not same_tenant
	count(applicable) == 0
	some id in expired
	msg := sprintf("tenant isolation: exception `%v` expired", [id])
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": sort([m | some m in deny]),
	"audit": count(applicable) > 0,
	"exceptions_applied": sort([id | some id in applicable; not same_tenant]),
}
