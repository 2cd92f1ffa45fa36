package maestro.residency_test

import rego.v1

import data.maestro.residency

tenants := {
	"acme": {"tier": "prod", "allowed_regions": ["eu-west-1"], "status": "active"},
	"lab": {"tier": "dev", "allowed_regions": ["*"], "status": "active"},
	"bad": {"tier": "prod", "allowed_regions": ["*"], "status": "active"},
	"gone": {"tier": "prod", "allowed_regions": ["eu-west-1"], "status": "deleted"},
}

clusters := {"eu-prod-1": {"region": "eu-west-1"}, "us-prod-1": {"region": "us-east-1"}}

test_deploy_in_allowed_region if {
	d := residency.decision with input as {"action": "deploy", "tenant": "acme", "cluster": "eu-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	d.allow
	d.deny == []
}

test_deploy_outside_allowlist_is_denied if {
	d := residency.decision with input as {"action": "deploy", "tenant": "acme", "cluster": "us-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	not d.allow
	d.deny == ["residency: tenant `acme` may not deploy to cluster `us-prod-1` in region `us-east-1`; its allowed regions are eu-west-1"]
}

test_unknown_tenant_is_denied if {
	d := residency.decision with input as {"action": "deploy", "tenant": "nobody", "cluster": "eu-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	not d.allow
	"residency: unknown tenant `nobody` has no residency declaration" in d.deny
}

test_unknown_cluster_is_denied if {
	d := residency.decision with input as {"action": "deploy", "tenant": "acme", "cluster": "mars-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	not d.allow
}

test_dev_tenant_may_use_every_region if {
	d := residency.decision with input as {"action": "deploy", "tenant": "lab", "cluster": "us-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	d.allow
}

test_prod_tenant_never_star if {
	d := residency.decision with input as {"action": "deploy", "tenant": "bad", "cluster": "us-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	not d.allow
}

test_deleted_tenant_is_denied if {
	d := residency.decision with input as {"action": "deploy", "tenant": "gone", "cluster": "eu-prod-1"}
		with data.tenants as tenants
		with data.clusters as clusters
	not d.allow
}

test_storage_needs_both_tags if {
	d := residency.decision with input as {"action": "storage.create", "tenant": "acme", "resource": {"name": "db", "tags": {"region": "eu-west-1"}}}
		with data.tenants as tenants
	not d.allow
	d.deny == ["residency: storage resource `db` lacks the `residency` tag"]
}

test_storage_outside_allowlist_is_denied if {
	d := residency.decision with input as {"action": "storage.use", "tenant": "acme", "resource": {"name": "db", "tags": {"region": "us-east-1", "residency": "us-east-1"}}}
		with data.tenants as tenants
	not d.allow
	count(d.deny) == 2
}

test_storage_inside_allowlist if {
	d := residency.decision with input as {"action": "storage.create", "tenant": "acme", "resource": {"name": "db", "tags": {"region": "eu-west-1", "residency": "eu-west-1"}}}
		with data.tenants as tenants
	d.allow
}

test_unknown_action_is_denied if {
	d := residency.decision with input as {"action": "teleport", "tenant": "acme"} with data.tenants as tenants
	not d.allow
}
