# ABAC (TEN-3): who may run which command on which tenant.
#
# input: {"actor": "alice@acme.example", "action": "tenant:update", "tenant": "acme" | null,
#         "roles": [{"role": "tenant-admin", "tenant": "acme"}, {"role": "platform-admin", "tenant": null}]}
#
# platform-admin: everything, flagged audit; tenant-admin of T: manage T; viewer of T: read T.
# Actions not listed below are platform-admin only.
package maestro.abac

import rego.v1

# The least role of the tenant each tenant-scoped action needs.
tenant_actions := {
	"tenant:show": "viewer",
	"user:list": "viewer",
	"audit:log": "viewer",
	"flow:status": "viewer",
	"policy:log": "viewer",
	"pack:export": "viewer",
	"signals:report": "viewer",
	"signals:alerts": "viewer",
	"cost:report": "viewer",
	"perf:check": "viewer",
	"dashboard:export": "viewer",
	"tenant:update": "tenant-admin",
	"user:add": "tenant-admin",
	"user:remove": "tenant-admin",
	"flow:run": "tenant-admin",
	"deploy": "tenant-admin",
	"signals:mine": "tenant-admin",
	"perf:baseline": "tenant-admin",
}

actor := object.get(input, "actor", "")

tenant := object.get(input, "tenant", null)

roles := object.get(input, "roles", [])

default platform_admin := false

platform_admin if {
	some r in roles
	r.role == "platform-admin"
}

# What each tenant role satisfies: a role satisfies a need when it is at least as strong.
satisfies := {"tenant-admin": {"tenant-admin", "viewer"}, "viewer": {"viewer"}}

need := object.get(tenant_actions, object.get(input, "action", ""), "platform-admin")

by_tenant_role if {
	need != "platform-admin"
	tenant != null
	some r in roles
	object.get(r, "tenant", null) == tenant
	need in object.get(satisfies, r.role, set())
}

# What the actor holds for the tenant in question, and only for it: a decision about one
# tenant never names the actor's roles in another (it is logged with that tenant and may be
# disclosed to it).
held_here := concat(", ", sort([r.role | some r in roles; object.get(r, "tenant", null) == tenant]))

held := sprintf("`%v` is %v of `%v`", [actor, held_here, tenant]) if held_here != ""

held := sprintf("`%v` holds no role for `%v`", [actor, tenant]) if held_here == ""

deny contains msg if {
	count(roles) == 0
	msg := sprintf("`%v` holds no role", [actor])
}

deny contains msg if {
	count(roles) > 0
	not platform_admin
	need == "platform-admin"
	msg := sprintf("it needs the platform-admin role; `%v` is not a platform admin", [actor])
}

deny contains msg if {
	count(roles) > 0
	not platform_admin
	need != "platform-admin"
	tenant == null
	msg := sprintf("it needs the platform-admin role when no tenant is named; `%v` is not a platform admin", [actor])
}

deny contains msg if {
	count(roles) > 0
	not platform_admin
	need != "platform-admin"
	tenant != null
	not by_tenant_role
	wanted := {"viewer": "viewer or tenant-admin", "tenant-admin": "tenant-admin"}[need]
	msg := sprintf("it needs %v of `%v`; %v", [wanted, tenant, held])
}

default allow := false

allow if platform_admin

allow if by_tenant_role

decision := {
	"allow": allow,
	"deny": sort([m | some m in deny]),
	"audit": platform_admin,
	"exceptions_applied": [],
}
