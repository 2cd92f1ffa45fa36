# Data residency (REG-1, REG-2): a tenant's workloads and data stay in its allowed regions.
#
# input: {"action": "deploy", "tenant": "acme", "cluster": "eu-prod-1"}
#     or {"action": "storage.create" | "storage.use", "tenant": "acme",
#         "resource": {"name": "orders-db", "tags": {"region": "eu-west-1", "residency": "eu-west-1"}}}
# data:  tenants[id] = {"tier": "prod" | "dev", "allowed_regions": [...], "status": "active"}
#        clusters[name] = {"region": "eu-west-1"}
#
# Fail-closed in OPA and regorus alike: values are looked up with object.get and an unknown
# tenant, cluster or action is denied explicitly.
package maestro.residency

import rego.v1

# Named data paths with defaults (never `data` as a whole: OPA would see every package's
# rules as a dependency and refuse the recursion).
default tenants := {}

tenants := data.tenants

default clusters := {}

clusters := data.clusters

tenant_id := object.get(input, "tenant", "")

tenant := object.get(tenants, tenant_id, null)

allowed := object.get(tenant, "allowed_regions", []) if tenant != null

tier := object.get(tenant, "tier", "prod") if tenant != null

storage_actions := {"storage.create", "storage.use"}

known_action if input.action == "deploy"

known_action if input.action in storage_actions

region_allowed(region) if {
	some r in allowed
	r == region
}

region_allowed(_) if {
	tier == "dev"
	"*" in allowed
}

deny contains msg if {
	not known_action
	msg := sprintf("residency: unknown action `%v`", [object.get(input, "action", "")])
}

deny contains msg if {
	tenant == null
	msg := sprintf("residency: unknown tenant `%v` has no residency declaration", [tenant_id])
}

deny contains msg if {
	tenant != null
	object.get(tenant, "status", "active") != "active"
	msg := sprintf("residency: tenant `%v` is %v", [tenant_id, tenant.status])
}

deny contains msg if {
	tenant != null
	tier != "dev"
	"*" in allowed
	msg := sprintf("residency: tenant `%v` is prod tier and may not allow every region (`*`)", [tenant_id])
}

cluster_name := object.get(input, "cluster", "")

cluster_region := object.get(object.get(clusters, cluster_name, {}), "region", "")

deny contains msg if {
	input.action == "deploy"
	cluster_region == ""
	msg := sprintf("residency: unknown cluster `%v`", [cluster_name])
}

deny contains msg if {
	input.action == "deploy"
	tenant != null
	cluster_region != ""
	not region_allowed(cluster_region)
	msg := sprintf(
		"residency: tenant `%v` may not deploy to cluster `%v` in region `%v`; its allowed regions are %v",
		[tenant_id, cluster_name, cluster_region, concat(",", allowed)],
	)
}

resource := object.get(input, "resource", {})

tags := object.get(resource, "tags", {})

deny contains msg if {
	input.action in storage_actions
	some key in ["region", "residency"]
	object.get(tags, key, "") == ""
	msg := sprintf("residency: storage resource `%v` lacks the `%v` tag", [object.get(resource, "name", ""), key])
}

deny contains msg if {
	input.action in storage_actions
	tenant != null
	some key in ["region", "residency"]
	value := object.get(tags, key, "")
	value != ""
	not region_allowed(value)
	msg := sprintf(
		"residency: storage resource `%v` is tagged %v `%v`, outside the allowed regions of tenant `%v` (%v)",
		[object.get(resource, "name", ""), key, value, tenant_id, concat(",", allowed)],
	)
}

default allow := false

allow if count(deny) == 0

decision := {
	"allow": allow,
	"deny": sort([m | some m in deny]),
	"audit": false,
	"exceptions_applied": [],
}
