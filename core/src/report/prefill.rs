//! A draft started from a protocol flow: setting, time, police and the log of steps carried over.

use super::model::{Report, Value};
use crate::protocol::run::FlowRun;
use crate::protocol::Flow;

/// `started_local` is the run's start in the device's local time (`2026-11-30T14:05`).
pub fn from_flow(report: &mut Report, flow: &Flow, run: &FlowRun, started_local: &str) {
    report.set("situatie", Value::Text(flow.situation.clone()));
    report.set("datum_tijd", Value::Text(started_local.to_owned()));
    if let Some((_, police)) = run.outcome(flow) {
        if police {
            report.set("politie", Value::Text("gebeld".into()));
        }
    }
    report.flow_run = Some(run.clone());
}
