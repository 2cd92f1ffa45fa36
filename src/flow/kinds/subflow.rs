//! `flow`: runs another flow as one step (`with.flow`, `with.params`). The child run is
//! linked to this step; when the step is tried again (a retry, a resumed parent), the same
//! child run is resumed rather than started twice, and a child that already succeeded is
//! not run again.

use std::collections::BTreeMap;

use super::{Args, AttemptResult, Mode, StepKind, WorkerCx, check_keys, text};
use crate::context::Context;
use crate::flow::{self, StartOptions, catalog};
use crate::store::Store;

pub struct SubFlow;

impl StepKind for SubFlow {
    fn name(&self) -> &'static str {
        "flow"
    }
    fn mode(&self) -> Mode {
        Mode::Worker
    }
    /// A whole engine with its own SQLite connection runs on this thread.
    fn worker_stack(&self) -> usize {
        8 * 1024 * 1024
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["flow"], &["params"])?;
        match with.get("params") {
            None | Some(serde_json::Value::Object(_)) => Ok(()),
            Some(_) => Err("`with.params` must be a mapping of param names to values".into()),
        }
    }
    fn run_worker(&self, cx: WorkerCx, args: Args) -> AttemptResult {
        match run_child(&cx, &args) {
            Ok(report) if report.status == "succeeded" => AttemptResult::ok(BTreeMap::from([
                ("run_id".to_string(), report.run_id),
                ("status".to_string(), report.status),
            ])),
            Ok(report) => AttemptResult {
                denied: report.denied,
                ..AttemptResult::failed(
                    format!(
                        "sub-flow run `{}` {}: {}",
                        report.run_id,
                        report.status,
                        report.error.unwrap_or_default()
                    ),
                    None,
                )
            },
            Err(e) => AttemptResult::failed(e.to_string(), None),
        }
    }
}

fn run_child(cx: &WorkerCx, args: &Args) -> Result<flow::RunReport, flow::FlowError> {
    let sub = &cx.sub;
    let name = text(args, "flow").unwrap_or_default();
    let child_flow = catalog::find(&name, &sub.templates)?;
    let params: Vec<(String, String)> = args
        .get("params")
        .and_then(|p| p.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut ctx = Context {
        store: Store::open(&sub.state)?,
        config: sub.config.clone(),
        clock: sub.clock,
        actor: Some(sub.actor.clone()),
        abac: crate::policy::LazyGovernance::new(sub.bundle.clone()),
    };
    let existing = ctx
        .store
        .read()
        .flows()
        .child_run(&sub.run_id, &sub.step_id)?;
    match existing {
        Some(run) if run.status == "succeeded" => flow::report(&ctx.store.read(), &run.id),
        Some(run) => flow::resume(&mut ctx, &run.id, sub.templates.clone(), &mut |_| {}),
        None => flow::start(
            &mut ctx,
            StartOptions {
                flow: child_flow,
                params,
                tenant: sub.tenant.clone(),
                jobs: sub.jobs,
                templates: sub.templates.clone(),
                parent: Some((sub.run_id.clone(), sub.step_id.clone())),
            },
            &mut |_| {},
        ),
    }
}
