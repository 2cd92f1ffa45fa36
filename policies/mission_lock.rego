# Mission lock: changes to locked governance resources need at least two distinct approvals
# from governance stewards. Locked: the policies, the mission charter, and the residency of a
# prod tenant (a tenant that is not known counts as prod: fail closed).
#
# input: {"action": "change", "resource": {"kind": "policy" | "charter" | "residency", "tenant": "acme"},
#         "approvals": ["steward1@example.com", ...]}
# data:  stewards = ["steward1@example.com", ...]; tenants[id].tier
package maestro.mission_lock

import rego.v1

default steward_list := []

steward_list := data.stewards

default tenants := {}

tenants := data.tenants

required := 2

resource := object.get(input, "resource", {})

kind := object.get(resource, "kind", "")

stewards := {s | some s in steward_list}

default locked := false

locked if kind in {"policy", "charter"}

locked if {
	kind == "residency"
	t := object.get(tenants, object.get(resource, "tenant", ""), {})
	object.get(t, "tier", "prod") != "dev"
}

approvals := {a | some a in object.get(input, "approvals", []); a in stewards}

missing := sort([s | some s in stewards; not s in approvals])

deny contains msg if {
	kind == ""
	msg := "mission lock: input names no resource kind"
}

deny contains msg if {
	locked
	count(approvals) < required
	msg := sprintf(
		"mission lock: changing the %v needs %d approvals from governance stewards, it has %d; missing approvals from %d more of: %v",
		[kind, required, count(approvals), required - count(approvals), concat(", ", missing)],
	)
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": sort([m | some m in deny]),
	"audit": locked,
	"exceptions_applied": [],
}
