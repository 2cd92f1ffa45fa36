package maestro.mission_lock_test

import rego.v1

import data.maestro.mission_lock

stewards := ["s1@example.com", "s2@example.com", "s3@example.com"]

change(approvals) := {"action": "change", "resource": {"kind": "policy"}, "approvals": approvals}

test_no_approvals_is_denied if {
	d := mission_lock.decision with input as change([]) with data.stewards as stewards
	not d.allow
	d.deny == ["mission lock: changing the policy needs 2 approvals from governance stewards, it has 0; missing approvals from 2 more of: s1@example.com, s2@example.com, s3@example.com"]
}

test_one_approval_is_denied if {
	d := mission_lock.decision with input as change(["s1@example.com"]) with data.stewards as stewards
	not d.allow
}

test_same_steward_twice_counts_once if {
	not mission_lock.allow with input as change(["s1@example.com", "s1@example.com"]) with data.stewards as stewards
}

test_non_steward_approval_does_not_count if {
	not mission_lock.allow with input as change(["s1@example.com", "intern@example.com"]) with data.stewards as stewards
}

test_two_approvals_allow if {
	d := mission_lock.decision with input as change(["s1@example.com", "s2@example.com"]) with data.stewards as stewards
	d.allow
	d.audit
}

test_prod_residency_is_locked_dev_is_not if {
	not mission_lock.allow with input as {"action": "change", "resource": {"kind": "residency", "tenant": "acme"}, "approvals": []}
		with data.stewards as stewards
		with data.tenants as {"acme": {"tier": "prod"}, "lab": {"tier": "dev"}}
	d := mission_lock.decision with input as {"action": "change", "resource": {"kind": "residency", "tenant": "lab"}, "approvals": []}
		with data.stewards as stewards
		with data.tenants as {"acme": {"tier": "prod"}, "lab": {"tier": "dev"}}
	d.allow
	not d.audit
}
