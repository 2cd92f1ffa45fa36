//! `cost:report`: the rollups in a day range (whole months from the monthly tables, the
//! ends from the daily ones), grouped, with shares and the top cost drivers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::authz::{self, Action};
use crate::context::Context;
use crate::input;
use crate::model::money::Money;
use crate::store::{Column, CostFilter, Grain, Sums};

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Tenant,
    Service,
    Env,
    Region,
    Provider,
    /// The day (`2024-09-15`).
    Day,
    /// The ISO week (`2024-W37`, Monday to Sunday).
    Week,
    /// The calendar month (`2024-09`).
    Month,
}

impl Dimension {
    fn column(self) -> Column {
        match self {
            Dimension::Tenant => Column::Tenant,
            Dimension::Service => Column::Service,
            Dimension::Env => Column::Env,
            Dimension::Region => Column::Region,
            Dimension::Provider => Column::Provider,
            Dimension::Day | Dimension::Week | Dimension::Month => Column::Period,
        }
    }

    fn is_time(self) -> bool {
        matches!(self, Dimension::Day | Dimension::Week | Dimension::Month)
    }

    /// The group a rollup's period (`YYYY-MM-DD`, or `YYYY-MM` of a monthly one) falls in.
    fn bucket(self, period: &str) -> String {
        match self {
            Dimension::Month => period.get(..7).unwrap_or(period).to_string(),
            Dimension::Week => match period.parse::<jiff::civil::Date>() {
                Ok(day) => {
                    let week = day.iso_week_date();
                    format!("{:04}-W{:02}", week.year(), week.week())
                }
                Err(_) => period.to_string(),
            },
            _ => period.to_string(),
        }
    }
}

/// The bucket of rows without a tenant.
pub const UNALLOCATED: &str = "unallocated";

pub struct ReportOptions {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    pub top: usize,
    pub tenant: Option<String>,
}

/// A group's charges: its rows' cost without credits (those are [`CostReport::credits`]).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Group {
    /// One value per `by` dimension.
    pub key: Vec<String>,
    pub billed: Money,
    pub effective: Money,
    /// Share of the effective charges of all groups (credits left out), in percent: the
    /// shares add up to 100.
    pub share: f64,
    pub rows: u64,
    /// Requests (FOCUS `ConsumedQuantity` in a request unit), and effective cost per request
    /// (exact money, like every amount: a decimal string in JSON).
    pub requests: Money,
    pub cost_per_request: Option<Money>,
    pub unallocated: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Driver {
    pub name: String,
    pub effective: Money,
    pub share: f64,
}

/// Credits (FOCUS `ChargeCategory` `Credit`, zero or less): a line of their own.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Credits {
    pub billed: Money,
    pub effective: Money,
}

/// The groups' charges plus `credits` make `billed` and `effective`, what was paid.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CostReport {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    /// Everything in the range: the charges and the credits.
    pub billed: Money,
    pub effective: Money,
    pub credits: Credits,
    pub rows: u64,
    pub groups: Vec<Group>,
    pub top_services: Vec<Driver>,
    pub top_resources: Vec<Driver>,
}

fn share(part: Money, total: Money) -> f64 {
    if total.is_zero() {
        0.0
    } else {
        (part.to_f64() / total.to_f64() * 1000.0).round() / 10.0
    }
}

fn top(items: Vec<(String, Money)>, n: usize, total: Money) -> Vec<Driver> {
    let mut sums: BTreeMap<String, Money> = BTreeMap::new();
    for (name, amount) in items {
        *sums.entry(name).or_default() += amount;
    }
    let mut all: Vec<(String, Money)> = sums.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.into_iter()
        .take(n)
        .map(|(name, effective)| Driver {
            share: share(effective, total),
            name,
            effective,
        })
        .collect()
}

/// Splits the days `from..=to` into the whole calendar months inside it (read from the
/// monthly rollups) and the days before and after them (read from the daily ones).
fn segments(from: &str, to: &str) -> Vec<(Grain, String, String)> {
    let (Ok(from), Ok(to)) = (
        from.parse::<jiff::civil::Date>(),
        to.parse::<jiff::civil::Date>(),
    ) else {
        return Vec::new();
    };
    if from > to {
        return Vec::new();
    }
    let mut out = Vec::new();
    // The first whole month starts at `from` if it is a 1st, else at the next 1st.
    let first_whole = if from.day() == 1 {
        from
    } else {
        from.last_of_month().tomorrow().unwrap_or(from)
    };
    // The last whole month ends at `to` if it is a month's last day, else before `to`'s month.
    let last_whole_end = if to == to.last_of_month() {
        to
    } else {
        to.first_of_month().yesterday().unwrap_or(to)
    };
    if first_whole > last_whole_end {
        out.push((Grain::Day, from.to_string(), to.to_string()));
        return out;
    }
    if from < first_whole {
        out.push((
            Grain::Day,
            from.to_string(),
            first_whole.yesterday().unwrap_or(from).to_string(),
        ));
    }
    let month = |d: jiff::civil::Date| d.to_string()[..7].to_string();
    out.push((Grain::Month, month(first_whole), month(last_whole_end)));
    if last_whole_end < to {
        out.push((
            Grain::Day,
            last_whole_end.tomorrow().unwrap_or(to).to_string(),
            to.to_string(),
        ));
    }
    out
}

/// `cost:report`: the rollups in a day range, grouped, with the top cost drivers. A
/// tenant-admin or viewer sees only their tenants (and not the unallocated bucket).
pub fn report(ctx: &mut Context, o: &ReportOptions) -> anyhow::Result<CostReport> {
    input::check_day("--from", &o.from)?;
    input::check_day("--to", &o.to)?;
    let tenants = authz::read_scope(ctx, Action::CostRead, o.tenant.as_deref())?;
    let db = ctx.store.read();
    let columns: Vec<Column> = o.by.iter().map(|d| d.column()).collect();
    // Whole months from the monthly rollups, the ends of the range from the daily ones; by
    // day or week, all from the daily ones.
    let by_days =
        o.by.iter()
            .any(|d| matches!(d, Dimension::Day | Dimension::Week));
    let parts = if by_days {
        vec![(Grain::Day, o.from.clone(), o.to.clone())]
    } else {
        segments(&o.from, &o.to)
    };
    let mut merged: BTreeMap<Vec<Option<String>>, Sums> = BTreeMap::new();
    let mut drivers: [Vec<(String, Money)>; 2] = Default::default();
    for (grain, lo, hi) in parts {
        let part = CostFilter {
            from: lo,
            to: hi,
            tenants: tenants.clone(),
        };
        for (mut key, sums) in db.cost().grouped(grain, &part, &columns)? {
            for (d, value) in o.by.iter().zip(key.iter_mut()) {
                if d.is_time() {
                    *value = value.as_deref().map(|p| d.bucket(p));
                }
            }
            *merged.entry(key).or_default() += sums;
        }
        let [services, resources] = db.cost().drivers(grain, &part)?;
        drivers[0].extend(services);
        drivers[1].extend(resources);
    }
    let grouped: Vec<(Vec<Option<String>>, Sums)> = merged.into_iter().collect();
    let mut total = Sums::default();
    for (_, sums) in &grouped {
        total += *sums;
    }
    let charges = total.effective - total.credit_effective;
    let mut groups: Vec<Group> = grouped
        .into_iter()
        .map(|(key, s)| {
            let effective = s.effective - s.credit_effective;
            let unallocated =
                o.by.iter()
                    .zip(&key)
                    .any(|(d, v)| *d == Dimension::Tenant && v.is_none());
            Group {
                key: key
                    .into_iter()
                    .map(|v| v.unwrap_or_else(|| UNALLOCATED.into()))
                    .collect(),
                billed: s.billed - s.credit_billed,
                effective,
                share: share(effective, charges),
                rows: s.rows,
                requests: s.requests,
                cost_per_request: effective.per(s.requests),
                unallocated,
            }
        })
        .collect();
    // Over time, in time order; else largest first; the unallocated bucket last.
    if o.by.iter().any(|d| d.is_time()) {
        groups.sort_by(|a, b| a.key.cmp(&b.key).then(a.unallocated.cmp(&b.unallocated)));
    } else {
        groups.sort_by(|a, b| {
            a.unallocated
                .cmp(&b.unallocated)
                .then_with(|| b.effective.cmp(&a.effective))
                .then_with(|| a.key.cmp(&b.key))
        });
    }
    let [services, resources] = drivers;
    let top_services = top(services, o.top, charges);
    let top_resources = top(resources, o.top, charges);
    Ok(CostReport {
        from: o.from.clone(),
        to: o.to.clone(),
        by: o.by.clone(),
        billed: total.billed,
        effective: total.effective,
        credits: Credits {
            billed: total.credit_billed,
            effective: total.credit_effective,
        },
        rows: total.rows,
        groups,
        top_services,
        top_resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(from: &str, to: &str) -> Vec<(Grain, String, String)> {
        segments(from, to)
    }

    #[test]
    fn ranges_split_into_whole_months_and_ends() {
        let (d, m) = (Grain::Day, Grain::Month);
        let s = |g, a: &str, b: &str| (g, a.to_string(), b.to_string());
        assert_eq!(
            seg("2025-01-01", "2025-12-31"),
            [s(m, "2025-01", "2025-12")]
        );
        assert_eq!(
            seg("2024-09-15", "2024-11-03"),
            [
                s(d, "2024-09-15", "2024-09-30"),
                s(m, "2024-10", "2024-10"),
                s(d, "2024-11-01", "2024-11-03")
            ]
        );
        assert_eq!(
            seg("2024-09-02", "2024-09-29"),
            [s(d, "2024-09-02", "2024-09-29")]
        );
        assert_eq!(
            seg("2024-02-01", "2024-02-29"),
            [s(m, "2024-02", "2024-02")]
        );
        assert_eq!(seg("2024-03-01", "2024-02-01"), []);
    }
}
