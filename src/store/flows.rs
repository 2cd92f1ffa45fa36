//! Queries on `flow_runs`, `flow_steps`, `flow_attempts` and `deployments`.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Db, StoreError};

pub struct FlowRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// A run as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RunRow {
    pub id: String,
    pub flow: String,
    pub origin: String,
    #[serde(skip)]
    pub template: String,
    pub template_sha256: String,
    pub params: serde_json::Value,
    pub tenant_id: Option<String>,
    pub actor: String,
    pub jobs: i64,
    pub status: String,
    pub error: Option<String>,
    pub denied: bool,
    pub parent_run: Option<String>,
    pub parent_step: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub lease_pid: Option<i64>,
    pub lease_heartbeat: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StepRow {
    pub step_id: String,
    pub status: String,
    pub attempts: i64,
    pub outputs: serde_json::Map<String, serde_json::Value>,
    pub error: Option<String>,
    pub denied: bool,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AttemptRow {
    pub step_id: String,
    pub attempt: i64,
    pub status: String,
    pub pid: Option<i64>,
    pub exit_code: Option<i64>,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Deployment {
    pub id: String,
    pub tenant_id: String,
    pub service: String,
    pub env: String,
    pub cluster: String,
    pub region: String,
    pub version: String,
    pub run_id: Option<String>,
    pub step_id: Option<String>,
    pub actor: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct RunFilter {
    /// Only runs of these tenants (`None`: all runs).
    pub tenants: Option<Vec<String>>,
    pub status: Option<String>,
    pub limit: Option<u64>,
}

const RUN_COLUMNS: &str = "id, flow, origin, template, template_sha256, params, tenant_id, actor, jobs,
    status, error, denied, parent_run, parent_step, created_at, finished_at, lease_pid, lease_heartbeat";

fn json_or_null(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

fn run_from_row(r: &Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: r.get(0)?,
        flow: r.get(1)?,
        origin: r.get(2)?,
        template: r.get(3)?,
        template_sha256: r.get(4)?,
        params: json_or_null(&r.get::<_, String>(5)?),
        tenant_id: r.get(6)?,
        actor: r.get(7)?,
        jobs: r.get(8)?,
        status: r.get(9)?,
        error: r.get(10)?,
        denied: r.get(11)?,
        parent_run: r.get(12)?,
        parent_step: r.get(13)?,
        created_at: r.get(14)?,
        finished_at: r.get(15)?,
        lease_pid: r.get(16)?,
        lease_heartbeat: r.get(17)?,
    })
}

fn step_from_row(r: &Row<'_>) -> rusqlite::Result<StepRow> {
    let outputs = match json_or_null(&r.get::<_, String>(3)?) {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    Ok(StepRow {
        step_id: r.get(0)?,
        status: r.get(1)?,
        attempts: r.get(2)?,
        outputs,
        error: r.get(4)?,
        denied: r.get(5)?,
        started_at: r.get(6)?,
        finished_at: r.get(7)?,
    })
}

fn attempt_from_row(r: &Row<'_>) -> rusqlite::Result<AttemptRow> {
    Ok(AttemptRow {
        step_id: r.get(0)?,
        attempt: r.get(1)?,
        status: r.get(2)?,
        pid: r.get(3)?,
        exit_code: r.get(4)?,
        started_at: r.get(5)?,
        finished_at: r.get(6)?,
        stdout: r.get(7)?,
        stderr: r.get(8)?,
        error: r.get(9)?,
    })
}

impl FlowRows<'_> {
    /// Runs one statement through the connection's statement cache (the engine's hot path
    /// repeats a handful of statements thousands of times).
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize, StoreError> {
        self.db
            .conn
            .prepare_cached(sql)
            .and_then(|mut st| st.execute(p))
            .map_err(|e| self.db.err(e))
    }

    pub fn insert_run(&self, r: &RunRow) -> Result<(), StoreError> {
        self.exec(
            &format!("INSERT INTO flow_runs ({RUN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"),
            params![
                r.id, r.flow, r.origin, r.template, r.template_sha256, r.params.to_string(), r.tenant_id,
                r.actor, r.jobs, r.status, r.error, r.denied, r.parent_run, r.parent_step, r.created_at,
                r.finished_at, r.lease_pid, r.lease_heartbeat
            ],
        )?;
        Ok(())
    }

    pub fn run(&self, id: &str) -> Result<Option<RunRow>, StoreError> {
        self.db
            .conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM flow_runs WHERE id = ?1"),
                [id],
                run_from_row,
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    /// The ids of up to `limit` runs whose id starts with `prefix`, with their tenants, in id
    /// order.
    pub fn runs_starting_with(
        &self,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT id, tenant_id FROM flow_runs
                  WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![prefix, limit], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    /// The sub-flow run started by a step of a parent run, if any.
    pub fn child_run(
        &self,
        parent_run: &str,
        parent_step: &str,
    ) -> Result<Option<RunRow>, StoreError> {
        self.db
            .conn
            .query_row(
                &format!(
                    "SELECT {RUN_COLUMNS} FROM flow_runs WHERE parent_run = ?1 AND parent_step = ?2"
                ),
                [parent_run, parent_step],
                run_from_row,
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    /// Runs, newest first.
    pub fn runs(&self, f: &RunFilter) -> Result<Vec<RunRow>, StoreError> {
        let tenants = f
            .tenants
            .as_ref()
            .map(|t| serde_json::Value::from(t.clone()).to_string());
        let limit = f.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut stmt = self
            .db
            .conn
            .prepare(&format!(
                "SELECT {RUN_COLUMNS} FROM flow_runs
                 WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))
                   AND (?2 IS NULL OR status = ?2)
                 ORDER BY created_at DESC, id DESC LIMIT ?3"
            ))
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants, f.status, limit], run_from_row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    pub fn finish_run(
        &self,
        id: &str,
        status: &str,
        error: Option<&str>,
        denied: bool,
        at: Option<&str>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE flow_runs SET status = ?2, error = ?3, denied = ?4, finished_at = ?5 WHERE id = ?1",
            params![id, status, error, denied, at],
        )?;
        Ok(())
    }

    pub fn set_lease(
        &self,
        id: &str,
        pid: Option<i64>,
        heartbeat: Option<&str>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE flow_runs SET lease_pid = ?2, lease_heartbeat = ?3 WHERE id = ?1",
            params![id, pid, heartbeat],
        )?;
        Ok(())
    }

    pub fn insert_step(&self, run_id: &str, step_id: &str) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO flow_steps (run_id, step_id, status) VALUES (?1, ?2, 'pending')",
            params![run_id, step_id],
        )?;
        Ok(())
    }

    pub fn steps(&self, run_id: &str) -> Result<Vec<StepRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT step_id, status, attempts, outputs, error, denied, started_at, finished_at
                 FROM flow_steps WHERE run_id = ?1 ORDER BY step_id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map([run_id], step_from_row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    pub fn update_step(&self, run_id: &str, s: &StepRow) -> Result<(), StoreError> {
        self.exec(
            "UPDATE flow_steps SET status = ?3, attempts = ?4, outputs = ?5, error = ?6, denied = ?7,
                 started_at = ?8, finished_at = ?9
             WHERE run_id = ?1 AND step_id = ?2",
            params![
                run_id,
                s.step_id,
                s.status,
                s.attempts,
                serde_json::Value::Object(s.outputs.clone()).to_string(),
                s.error,
                s.denied,
                s.started_at,
                s.finished_at
            ],
        )?;
        Ok(())
    }

    /// Inserts or replaces one attempt record.
    pub fn put_attempt(&self, run_id: &str, a: &AttemptRow) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO flow_attempts (run_id, step_id, attempt, status, pid, exit_code, started_at,
                 finished_at, stdout, stderr, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (run_id, step_id, attempt) DO UPDATE SET status = excluded.status,
                 started_at = excluded.started_at,
                 pid = excluded.pid, exit_code = excluded.exit_code, finished_at = excluded.finished_at,
                 stdout = excluded.stdout, stderr = excluded.stderr, error = excluded.error",
            params![
                run_id, a.step_id, a.attempt, a.status, a.pid, a.exit_code, a.started_at, a.finished_at,
                a.stdout, a.stderr, a.error
            ],
        )?;
        Ok(())
    }

    pub fn attempts(
        &self,
        run_id: &str,
        step: Option<&str>,
    ) -> Result<Vec<AttemptRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT step_id, attempt, status, pid, exit_code, started_at, finished_at, stdout, stderr, error
                 FROM flow_attempts WHERE run_id = ?1 AND (?2 IS NULL OR step_id = ?2)
                 ORDER BY started_at, step_id, attempt",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![run_id, step], attempt_from_row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    /// Records a deployment once per run step; returns the one recorded first.
    pub fn put_deployment(&self, d: &Deployment) -> Result<Deployment, StoreError> {
        self.exec(
            "INSERT INTO deployments (id, tenant_id, service, env, cluster, region, version, run_id,
                 step_id, actor, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (run_id, step_id) DO NOTHING",
            params![
                d.id, d.tenant_id, d.service, d.env, d.cluster, d.region, d.version, d.run_id, d.step_id,
                d.actor, d.created_at
            ],
        )?;
        let found = self.deployments(Some(&d.tenant_id))?;
        Ok(found
            .into_iter()
            .find(|x| x.run_id == d.run_id && x.step_id == d.step_id)
            .unwrap_or_else(|| d.clone()))
    }

    pub fn deployments(&self, tenant: Option<&str>) -> Result<Vec<Deployment>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT id, tenant_id, service, env, cluster, region, version, run_id, step_id, actor, created_at
                 FROM deployments WHERE (?1 IS NULL OR tenant_id = ?1) ORDER BY created_at, id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map([tenant], |r| {
                Ok(Deployment {
                    id: r.get(0)?,
                    tenant_id: r.get(1)?,
                    service: r.get(2)?,
                    env: r.get(3)?,
                    cluster: r.get(4)?,
                    region: r.get(5)?,
                    version: r.get(6)?,
                    run_id: r.get(7)?,
                    step_id: r.get(8)?,
                    actor: r.get(9)?,
                    created_at: r.get(10)?,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }
}
