//! What a run tells: its events as they happen (`--output json` prints one a line) and its
//! report, read back from the store.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FlowError, StepReport, plan, template};
use crate::store::{Db, StepRow};

/// One state change of a run, as `--output json` prints it (one JSON object per line).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(tag = "event")]
pub enum FlowEvent {
    #[serde(rename = "run.started")]
    RunStarted {
        run_id: String,
        flow: String,
        steps: usize,
        resumed: bool,
    },
    #[serde(rename = "step.started")]
    StepStarted {
        run_id: String,
        step: String,
        attempt: i64,
    },
    #[serde(rename = "step.finished")]
    StepFinished {
        run_id: String,
        step: String,
        attempt: i64,
        status: String,
        exit_code: Option<i32>,
        error: Option<String>,
        duration_ms: u64,
    },
    #[serde(rename = "step.retrying")]
    StepRetrying {
        run_id: String,
        step: String,
        next_attempt: i64,
        delay_ms: u64,
    },
    #[serde(rename = "step.skipped")]
    StepSkipped {
        run_id: String,
        step: String,
        reason: String,
    },
    #[serde(rename = "run.finished")]
    RunFinished {
        run_id: String,
        status: String,
        error: Option<String>,
    },
}

/// A run and its steps, as `flow:status` and the end of `flow:run` print it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunReport {
    pub run_id: String,
    pub flow: String,
    pub status: String,
    pub tenant_id: Option<String>,
    pub actor: String,
    pub params: serde_json::Value,
    pub error: Option<String>,
    pub denied: bool,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub steps: Vec<StepReport>,
}

impl RunReport {
    /// `Ok` when the run succeeded, else the error that says how it ended.
    pub fn into_result(self) -> Result<RunReport, FlowError> {
        match self.status.as_str() {
            "succeeded" => Ok(self),
            "interrupted" => Err(FlowError::Interrupted {
                run_id: self.run_id,
            }),
            _ => Err(FlowError::RunFailed {
                run_id: self.run_id,
                error: self.error.unwrap_or_else(|| "unknown".into()),
                denied: self.denied,
            }),
        }
    }
}

/// Reads a run's report; steps in plan order.
pub fn report(db: &Db<'_>, run_id: &str) -> Result<RunReport, FlowError> {
    let run = db
        .flows()
        .run(run_id)?
        .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))?;
    let rows: BTreeMap<String, StepRow> = db
        .flows()
        .steps(run_id)?
        .into_iter()
        .map(|s| (s.step_id.clone(), s))
        .collect();
    let order: Vec<(String, String)> = match template::load(&run.template, &run.origin) {
        Ok(f) => plan::plan(&f)
            .waves
            .into_iter()
            .flatten()
            .map(|s| (s.id, s.uses))
            .collect(),
        Err(_) => rows.keys().map(|k| (k.clone(), String::new())).collect(),
    };
    let steps = order
        .into_iter()
        .filter_map(|(id, uses)| {
            let r = rows.get(&id)?;
            Some(StepReport {
                id,
                uses,
                status: r.status.clone(),
                attempts: r.attempts,
                outputs: r.outputs.clone(),
                error: r.error.clone(),
                started_at: r.started_at.clone(),
                finished_at: r.finished_at.clone(),
            })
        })
        .collect();
    Ok(RunReport {
        run_id: run.id,
        flow: run.flow,
        status: run.status,
        tenant_id: run.tenant_id,
        actor: run.actor,
        params: run.params,
        error: run.error,
        denied: run.denied,
        created_at: run.created_at,
        finished_at: run.finished_at,
        steps,
    })
}
