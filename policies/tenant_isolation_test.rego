package maestro.tenant_isolation_test

import rego.v1

import data.maestro.tenant_isolation

exceptions := [
	{"id": "EX-1", "from_tenant": "acme", "to_tenant": "globex", "reason": "joint venture", "approver": "cso@example.com", "expires_at": "2027-01-01T00:00:00Z"},
	{"id": "EX-2", "from_tenant": "acme", "to_tenant": "initech", "reason": "migration", "approver": "cso@example.com", "expires_at": "2026-01-01T00:00:00Z"},
	{"id": "EX-3", "from_tenant": "acme", "to_tenant": "hooli", "approver": "cso@example.com", "expires_at": "2027-01-01T00:00:00Z"},
]

now := "2026-11-25T10:00:00Z"

test_same_tenant_is_allowed if {
	d := tenant_isolation.decision with input as {"actor_tenant": "acme", "resource_tenant": "acme", "now": now}
	d.allow
	d.exceptions_applied == []
}

test_cross_tenant_is_denied if {
	d := tenant_isolation.decision with input as {"actor_tenant": "globex", "resource_tenant": "acme", "action": "read", "now": now}
		with data.exceptions as exceptions
	not d.allow
	d.deny == ["tenant isolation: tenant `globex` may not read resources of tenant `acme` without an exception"]
}

test_exception_allows_and_is_reported if {
	d := tenant_isolation.decision with input as {"actor_tenant": "acme", "resource_tenant": "globex", "now": now}
		with data.exceptions as exceptions
	d.allow
	d.audit
	d.exceptions_applied == ["EX-1"]
}

test_expired_exception_is_denied if {
	d := tenant_isolation.decision with input as {"actor_tenant": "acme", "resource_tenant": "initech", "now": now}
		with data.exceptions as exceptions
	not d.allow
	"tenant isolation: exception `EX-2` expired" in d.deny
}

test_exception_without_reason_does_not_count if {
	d := tenant_isolation.decision with input as {"actor_tenant": "acme", "resource_tenant": "hooli", "now": now}
		with data.exceptions as exceptions
	not d.allow
}

test_missing_tenants_are_denied if {
	d := tenant_isolation.decision with input as {"now": now}
	not d.allow
	count(d.deny) == 2
}
