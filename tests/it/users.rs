//! init, user:add, user:list and the roles they grant.

use crate::support::{ADMIN, HELP_GRANT, Sandbox};

#[test]
fn init_is_idempotent() {
    let s = Sandbox::new();
    let first = s.json(ADMIN, &["init"]);
    assert_eq!(first["created"], true);
    assert_eq!(first["platform_admins"], serde_json::json!([ADMIN]));
    let second = s.json("someone@else.example", &["init"]);
    assert_eq!(second["created"], false);
    assert_eq!(second["platform_admins"], serde_json::json!([ADMIN]));
    assert_eq!(s.audit_actions(), ["principal.bootstrap"]);
}

#[test]
fn tenant_admin_grants_within_their_tenant_only() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gina@globex.example");
    let alice = "alice@acme.example";
    let b = s.json(
        alice,
        &[
            "user:add",
            "Bob@Acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    assert_eq!(b[0]["principal"], "bob@acme.example");
    assert_eq!(b[0]["tenant"], "acme");

    let before = s.dump();
    for args in [
        vec![
            "user:add",
            "bob@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "globex",
        ],
        vec!["user:add", "bob@acme.example", "--role", "platform-admin"],
    ] {
        let out = s.run(alice, &args);
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
    }
    assert_eq!(
        s.audit_actions()
            .iter()
            .filter(|a| *a == "policy.deny")
            .count(),
        2
    );
    assert_eq!(
        s.dump().len(),
        before.len() + 8,
        "each denial adds its decision, its audit event, the event's outbox row and the \
         decision remembered for the next time it is asked"
    );

    // The viewer reads but cannot change.
    let bob = "bob@acme.example";
    s.ok(bob, &["tenant:show", "acme"]);
    s.run(bob, &["tenant:update", "acme", "--name", "X"])
        .assert_error(
            3,
            "denied: `bob@acme.example` may not run `tenant:update` on tenant `acme`: it needs tenant-admin of `acme`; `bob@acme.example` is viewer of `acme`",
            Some(HELP_GRANT),
        );

    // user:list is scoped too.
    let seen = s.json(alice, &["user:list"]);
    assert!(
        seen.as_array()
            .unwrap()
            .iter()
            .all(|b| b["tenant"] == "acme"),
        "{seen}"
    );
    let out = s.run(alice, &["user:list", "--tenant", "globex"]);
    assert_eq!(out.code, 3);
    let all = s.json(ADMIN, &["user:list"]);
    assert_eq!(all.as_array().unwrap().len(), 4);
}

#[test]
fn role_scope_and_duplicates_are_errors() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let before = s.dump();
    for (args, msg, help) in [
        (
            vec!["user:add", "x@y.example", "--role", "viewer"],
            "role viewer is held for one tenant: add --tenant TENANT",
            None,
        ),
        (
            vec![
                "user:add",
                "x@y.example",
                "--role",
                "platform-admin",
                "--tenant",
                "acme",
            ],
            "role platform-admin is platform-wide: drop --tenant",
            None,
        ),
        (
            vec![
                "user:add",
                "alice@acme.example",
                "--role",
                "tenant-admin",
                "--tenant",
                "acme",
            ],
            "`alice@acme.example` already has role tenant-admin of tenant `acme`",
            Some("see roles with `maestro-cli user:list`"),
        ),
        (
            vec![
                "user:add",
                "x@y.example",
                "--role",
                "viewer",
                "--tenant",
                "nope",
            ],
            "tenant `nope` does not exist",
            Some("list tenants with `maestro-cli tenant:list --all`"),
        ),
        (
            vec![
                "user:add",
                "x y@z.example",
                "--role",
                "viewer",
                "--tenant",
                "acme",
            ],
            "invalid principal `x y@z.example`: the part before `@` may hold only letters, digits and `._%+-`",
            None,
        ),
    ] {
        s.run(ADMIN, &args).assert_error(1, msg, help);
    }
    assert_eq!(s.dump(), before);
    let out = s.run(
        ADMIN,
        &[
            "user:add",
            "x@y.example",
            "--role",
            "owner",
            "--tenant",
            "acme",
        ],
    );
    assert_eq!(out.code, 2, "a value clap rejects is a usage error");
}

#[test]
fn a_remembered_allow_does_not_outlive_the_role() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let grant = |by: &str, who: &str| {
        s.run(
            by,
            &["user:add", who, "--role", "viewer", "--tenant", "acme"],
        )
    };
    let remembered = || -> i64 {
        s.db()
            .query_row("SELECT count(*) FROM decision_cache", [], |r| r.get(0))
            .unwrap()
    };
    let ann_as_admin = |verb: &str| {
        let mut args = vec![
            verb,
            "ann@acme.example",
            "--role",
            "tenant-admin",
            "--tenant",
            "acme",
        ];
        if verb == "user:remove" {
            args.push("--yes");
        }
        s.ok("alice@acme.example", &args)
    };
    ann_as_admin("user:add");
    // Ann's grant is allowed, and the ABAC decision is remembered with it.
    let before = remembered();
    assert_eq!(grant("ann@acme.example", "carl@acme.example").code, 0);
    assert!(remembered() > before);
    ann_as_admin("user:remove");
    // The same question without the role is another question: asked again, and denied.
    let denied = grant("ann@acme.example", "dan@acme.example");
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    denied.assert_error(
        3,
        "denied: `ann@acme.example` may not run `user:add` on tenant `acme`: `ann@acme.example` holds no role",
        Some(HELP_GRANT),
    );
    let viewers = s.json(ADMIN, &["user:list", "--tenant", "acme"]);
    assert!(
        !viewers.to_string().contains("dan@acme.example"),
        "{viewers}"
    );
}

#[test]
fn roles_are_revoked_within_the_tenant_and_never_the_last_platform_admin() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gary@globex.example");
    s.ok(
        "alice@acme.example",
        &[
            "user:add",
            "bob@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    s.ok(
        "alice@acme.example",
        &[
            "user:add",
            "ann@acme.example",
            "--role",
            "tenant-admin",
            "--tenant",
            "acme",
        ],
    );
    let before = s.ok(ADMIN, &["tenant:manifests", "acme"]).stdout;
    assert!(before.contains("ann@acme.example"), "{before}");

    s.ok(
        "alice@acme.example",
        &[
            "user:remove",
            "--yes",
            "bob@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    let denied = s.run("bob@acme.example", &["tenant:show", "acme"]);
    assert_eq!(denied.code, 3, "bob lost his role");
    s.ok(
        "alice@acme.example",
        &[
            "user:remove",
            "--yes",
            "ann@acme.example",
            "--role",
            "tenant-admin",
            "--tenant",
            "acme",
        ],
    );
    let after = s.ok(ADMIN, &["tenant:manifests", "acme"]).stdout;
    assert!(
        !after.contains("ann@acme.example"),
        "the boundary's RoleBinding was refreshed: {after}"
    );
    assert_eq!(
        s.audit_actions()
            .iter()
            .filter(|a| *a == "principal.revoke")
            .count(),
        2
    );

    let dump = s.dump();
    let other = s.run(
        "alice@acme.example",
        &[
            "user:remove",
            "--yes",
            "gary@globex.example",
            "--role",
            "tenant-admin",
            "--tenant",
            "globex",
        ],
    );
    assert_eq!(other.code, 3, "{}", other.stderr);
    let missing = s.run(
        ADMIN,
        &[
            "user:remove",
            "--yes",
            "nobody@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    missing.assert_error(
        1,
        "`nobody@acme.example` does not hold viewer of tenant `acme`: nothing was changed",
        None,
    );
    s.run(ADMIN, &["user:remove", ADMIN, "--role", "platform-admin", "--yes"])
        .assert_error(
            1,
            "`ops@example.com` is the last platform admin: grant another one first (`user:add EMAIL --role platform-admin`)",
            None,
        );
    let changed: Vec<String> = s.dump().into_iter().filter(|r| !dump.contains(r)).collect();
    assert!(
        changed.iter().all(|r| !r.starts_with("role_bindings")),
        "no role changed: {changed:#?}"
    );
}
