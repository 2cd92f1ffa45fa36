#!/usr/bin/env python3
"""Differential test: every shipped policy, evaluated by real OPA (v1.20.2, embedded in the
PyPI package opa-golib-python-bindings) and by maestro-cli's regorus engine, on generated
inputs. Any difference fails.

    python3 tests/opa_differential/run.py MAESTRO_CLI_BINARY [--count N] [--seed S]

The wheel is installed by .ci/run (its metadata asks for Python 3.14; the module loads on
3.11, so it is unpacked onto PYTHONPATH rather than pip-installed).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

from opa_bindings import OpaEngine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLICIES = os.path.join(ROOT, "policies")

TENANTS = {
    "acme": {"tier": "prod", "allowed_regions": ["eu-west-1", "eu-central-1"], "status": "active"},
    "lab": {"tier": "dev", "allowed_regions": ["*"], "status": "active"},
    "bad": {"tier": "prod", "allowed_regions": ["*"], "status": "active"},
    "gone": {"tier": "prod", "allowed_regions": ["eu-west-1"], "status": "deleted"},
    "globex": {"tier": "prod", "allowed_regions": ["us-east-1"], "status": "active"},
}
CLUSTERS = {"eu-prod-1": {"region": "eu-west-1"}, "fra-1": {"region": "eu-central-1"}, "us-prod-1": {"region": "us-east-1"}}
DATA = {
    "tenants": TENANTS,
    "clusters": CLUSTERS,
    "stewards": ["s1@example.com", "s2@example.com", "s3@example.com"],
    "exceptions": [
        {"id": "EX-1", "from_tenant": "acme", "to_tenant": "globex", "reason": "jv", "approver": "cso@x", "expires_at": "2027-01-01T00:00:00Z"},
        {"id": "EX-2", "from_tenant": "acme", "to_tenant": "lab", "reason": "migration", "approver": "cso@x", "expires_at": "2026-01-01T00:00:00Z"},
        {"id": "EX-3", "from_tenant": "globex", "to_tenant": "acme", "approver": "cso@x", "expires_at": "2027-01-01T00:00:00Z"},
    ],
}

TENANT_IDS = list(TENANTS) + ["ghost", "", None]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-2", "", None]
ACTIONS = ["tenant:show", "tenant:update", "tenant:create", "tenant:delete", "user:add", "user:add-platform-admin",
           "user:list", "audit:log", "flow:run", "flow:status", "deploy", "policy:log", "policy:drift", "nope"]
ROLES = ["platform-admin", "tenant-admin", "viewer", "owner"]


def maybe(rng, value, p=0.85):
    return value if rng.random() < p else None


def strip_none(d):
    return {k: v for k, v in d.items() if v is not None}


def residency_input(rng):
    action = rng.choice(["deploy", "deploy", "storage.create", "storage.use", "teleport", None])
    i = {"action": action, "tenant": rng.choice(TENANT_IDS)}
    if action == "deploy" or rng.random() < 0.2:
        i["cluster"] = rng.choice(list(CLUSTERS) + ["mars-1", None])
    if action and action.startswith("storage") or rng.random() < 0.2:
        tags = strip_none({"region": rng.choice(REGIONS), "residency": rng.choice(REGIONS)})
        i["resource"] = strip_none({"name": maybe(rng, "db-%d" % rng.randint(0, 9)), "tags": maybe(rng, tags)})
    return strip_none(i)


def abac_input(rng):
    roles = []
    for _ in range(rng.randint(0, 3)):
        role = rng.choice(ROLES)
        roles.append({"role": role, "tenant": None if role == "platform-admin" else rng.choice(TENANT_IDS[:-1])})
    i = {"actor": maybe(rng, "p%d@example.com" % rng.randint(0, 3)), "action": maybe(rng, rng.choice(ACTIONS)),
         "tenant": rng.choice(TENANT_IDS), "roles": maybe(rng, roles, 0.95)}
    return strip_none(i) if rng.random() < 0.5 else {**{"tenant": None}, **strip_none(i)}


def isolation_input(rng):
    return strip_none({
        "actor_tenant": rng.choice(TENANT_IDS),
        "resource_tenant": rng.choice(TENANT_IDS),
        "action": maybe(rng, rng.choice(["read", "write"])),
        "now": maybe(rng, rng.choice(["2026-11-25T10:00:00Z", "2025-06-01T00:00:00Z", "2027-06-01T00:00:00Z"])),
    })


def mission_input(rng):
    stewards = DATA["stewards"] + ["intern@example.com"]
    kind = rng.choice(["policy", "charter", "residency", "cluster", "", None])
    resource = strip_none({"kind": kind, "tenant": maybe(rng, rng.choice(TENANT_IDS))})
    return strip_none({"action": "change", "resource": maybe(rng, resource, 0.95),
                       "approvals": maybe(rng, [rng.choice(stewards) for _ in range(rng.randint(0, 3))])})


GENERATORS = {
    "maestro.residency": residency_input,
    "maestro.abac": abac_input,
    "maestro.tenant_isolation": isolation_input,
    "maestro.mission_lock": mission_input,
}


def opa_engine():
    engine = OpaEngine()
    for name in sorted(os.listdir(POLICIES)):
        if name.endswith(".rego") and not name.endswith("_test.rego"):
            with open(os.path.join(POLICIES, name)) as f:
                engine.add_policy(name, f.read())
    engine.add_data(DATA)
    return engine


def opa_eval(engine, package, inp):
    try:
        return engine.eval_document(package + ".decision", inp)
    except Exception as e:  # OpaUndefinedError and evaluation errors
        if type(e).__name__ == "OpaUndefinedError":
            return None
        raise


def normalise(v):
    return json.loads(json.dumps(v, sort_keys=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    engine = opa_engine()
    failures = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        data_file = os.path.join(tmp, "data.json")
        with open(data_file, "w") as f:
            json.dump(DATA, f)
        for package, gen in GENERATORS.items():
            inputs = [gen(rng) for _ in range(args.count)]
            lines = os.path.join(tmp, package + ".jsonl")
            with open(lines, "w") as f:
                for i in inputs:
                    f.write(json.dumps(i) + "\n")
            out = subprocess.run(
                [args.binary, "policy:eval", "--policies", POLICIES, "--data", data_file,
                 "--query", "data." + package + ".decision", "--input-lines", lines],
                capture_output=True, text=True,
            )
            if out.returncode != 0:
                print("maestro-cli policy:eval failed on %s: %s" % (package, out.stderr.strip()))
                return 1
            theirs = [json.loads(l) for l in out.stdout.splitlines()]
            assert len(theirs) == len(inputs), (package, len(theirs), len(inputs))
            same = 0
            for inp, reg in zip(inputs, theirs):
                total += 1
                opa = opa_eval(engine, package, inp)
                if normalise(opa) != normalise(reg):
                    failures += 1
                    if failures <= 10:
                        print("DIFFERENT %s\n  input:   %s\n  opa:     %s\n  regorus: %s" % (
                            package, json.dumps(inp), json.dumps(opa), json.dumps(reg)))
                else:
                    same += 1
            allows = sum(1 for r in theirs if isinstance(r, dict) and r.get("allow"))
            print("%-26s %d inputs, %d identical (%d allow, %d deny)" % (package, len(inputs), same, allows, len(inputs) - allows))
    print("%d decisions compared, %d different" % (total, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
