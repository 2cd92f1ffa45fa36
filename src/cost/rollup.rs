//! Attribution and rollups: what one pass over a billing file adds up to. Each row is
//! attributed to tenant / service / env from its tags, then summed per day and per month
//! (the rollup tables) and per cost driver, with every value interned so that memory grows
//! with the distinct keys, not with the rows.

use rustc_hash::FxHashMap;

use crate::config::CostConfig;
use crate::model::ids::dns_label_problem;
use crate::model::intern::Interner;
use crate::model::money::Money;
use crate::store::{DailyKey, DriverKey, FileCounts, Grain, Sums};

/// Rollup rows per day and per month, each sorted: what an ingest writes.
type Periods<K, V> = [(Grain, Vec<(K, V)>); 2];

/// The id of "no tenant" (the unallocated bucket).
const NO_TENANT: u32 = u32::MAX;

/// An interned CSV value as text (ingest checked that the file is UTF-8).
pub(super) fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Who a row belongs to: interned tenant (or [`NO_TENANT`]), service, env.
#[derive(Debug, Clone, Copy)]
pub(super) struct Attributed {
    tenant: u32,
    service: u32,
    env: u32,
}

/// What one pass over a file adds up to: sums per (day, tenant, service, env, region,
/// provider) and per (day, tenant, driver kind, driver name), all interned. Memory grows with
/// the distinct keys, not with the rows.
#[derive(Default)]
pub(super) struct Totals {
    pub(super) counts: FileCounts,
    /// Every value a row adds up under, as its raw bytes.
    strings: Interner<[u8]>,
    /// Raw `Tags` text → attribution: billing exports repeat the same few tag sets.
    memo: FxHashMap<Box<[u8]>, Attributed>,
    daily: FxHashMap<[u32; 6], Sums>,
    drivers: FxHashMap<[u32; 4], Money>,
    /// The last valid day seen.
    pub(super) last_day: Option<Box<[u8]>>,
}

impl Totals {
    /// A tag value maps to a tenant through `[cost.tenants]`, else when it is itself a valid
    /// tenant id; otherwise the row is unallocated.
    pub(super) fn attribute(
        &mut self,
        config: &CostConfig,
        raw: &[u8],
    ) -> Result<Attributed, String> {
        if let Some(found) = self.memo.get(raw) {
            return Ok(*found);
        }
        let text = std::str::from_utf8(raw).map_err(|_| "Tags is not UTF-8".to_string())?;
        let tags = match text {
            "" | "NULL" => serde_json::Map::new(),
            t => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => return Err(format!("Tags `{t}` is not a JSON object or NULL")),
            },
        };
        let get = |key: &str| tags.get(key).and_then(|v| v.as_str());
        let tenant = get(&config.tenant_tag).and_then(|value| match config.tenants.get(value) {
            Some(id) => Some(id.get_ref().as_str()),
            None => dns_label_problem(value).is_none().then_some(value),
        });
        let found = Attributed {
            tenant: tenant.map_or(NO_TENANT, |t| self.strings.id(t.as_bytes())),
            service: self
                .strings
                .id(get(&config.service_tag).unwrap_or("(untagged)").as_bytes()),
            env: self
                .strings
                .id(get(&config.env_tag).unwrap_or("(untagged)").as_bytes()),
        };
        if self.memo.len() >= 100_000 {
            self.memo.clear();
        }
        self.memo.insert(raw.into(), found);
        Ok(found)
    }

    pub(super) fn add(&mut self, row: &Row<'_>) {
        let c = &mut self.counts;
        if row.who.tenant == NO_TENANT {
            c.unallocated += 1;
        } else {
            c.allocated += 1;
        }
        c.billed += row.billed;
        c.effective += row.effective;
        let s = &mut self.strings;
        let day = s.id(row.day);
        let (service, resource) = (s.id(row.service_name), s.id(row.resource_id));
        let key = [
            day,
            row.who.tenant,
            row.who.service,
            row.who.env,
            s.id(row.region),
            s.id(row.provider),
        ];
        // Cost drivers are charges: a credit is no service's or resource's cost.
        if !row.credit {
            *self
                .drivers
                .entry([day, row.who.tenant, 0, service])
                .or_default() += row.effective;
            *self
                .drivers
                .entry([day, row.who.tenant, 1, resource])
                .or_default() += row.effective;
        }
        let credit = |m: Money| if row.credit { m } else { Money::ZERO };
        *self.daily.entry(key).or_default() += Sums {
            billed: row.billed,
            effective: row.effective,
            requests: row.requests.unwrap_or(Money::ZERO),
            rows: 1,
            credit_billed: credit(row.billed),
            credit_effective: credit(row.effective),
        };
    }

    /// Adds another thread's totals (its own strings) to these.
    pub(super) fn merge(&mut self, other: Totals) -> Result<(), String> {
        let (c, o) = (&mut self.counts, &other.counts);
        match (&c.currency, &o.currency) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!(
                    "BillingCurrency `{b}` differs from the file's `{a}`: one currency per file"
                ));
            }
            (None, Some(b)) => c.currency = Some(b.clone()),
            _ => {}
        }
        c.rows += o.rows;
        c.allocated += o.allocated;
        c.unallocated += o.unallocated;
        c.skipped += o.skipped;
        c.billed += o.billed;
        c.effective += o.effective;
        let ids: Vec<u32> = other.strings.names().map(|n| self.strings.id(n)).collect();
        let id = |i: u32| {
            if i == NO_TENANT {
                NO_TENANT
            } else {
                ids[i as usize]
            }
        };
        for (k, v) in other.daily {
            *self
                .daily
                .entry([id(k[0]), id(k[1]), id(k[2]), id(k[3]), id(k[4]), id(k[5])])
                .or_default() += v;
        }
        for (k, v) in other.drivers {
            *self
                .drivers
                .entry([id(k[0]), id(k[1]), k[2], id(k[3])])
                .or_default() += v;
        }
        Ok(())
    }

    /// The tenants with allocated cost.
    pub(super) fn tenants(&self) -> std::collections::BTreeSet<String> {
        let ids: std::collections::BTreeSet<u32> = self
            .daily
            .keys()
            .map(|k| k[1])
            .filter(|&t| t != NO_TENANT)
            .collect();
        ids.into_iter()
            .map(|t| text_of(self.strings.name(t)))
            .collect()
    }

    /// The daily sums and the same summed per month, each in primary-key order: each
    /// insert lands next to the last, so the b-trees are written page by page instead of
    /// all over. Keys stay numbers until written ([`Totals::daily_key`]): a year of rollups
    /// as text would be hundreds of MB.
    pub(super) fn sums_by_period(&mut self) -> Periods<[u32; 6], Sums> {
        let daily: Vec<([u32; 6], Sums)> = self.daily.iter().map(|(k, v)| (*k, *v)).collect();
        self.by_period(daily, [true; 6])
    }

    pub(super) fn daily_key(&self, k: &[u32; 6]) -> DailyKey {
        let name = |i: usize| text_of(self.strings.name(k[i]));
        DailyKey {
            day: name(0),
            tenant_id: (k[1] != NO_TENANT).then(|| name(1)),
            service: name(2),
            env: name(3),
            region: name(4),
            provider: name(5),
        }
    }

    /// The same for cost drivers (`[day, tenant, kind, name]`, kind 0 a service, 1 a
    /// resource).
    pub(super) fn drivers_by_period(&mut self) -> Periods<[u32; 4], Money> {
        let daily: Vec<([u32; 4], Money)> = self.drivers.iter().map(|(k, v)| (*k, *v)).collect();
        // The kind is a number, not an interned value.
        self.by_period(daily, [true, true, false, true])
    }

    pub(super) fn driver_key(&self, k: &[u32; 4]) -> DriverKey {
        let name = |i: usize| text_of(self.strings.name(k[i]));
        DriverKey {
            day: name(0),
            tenant_id: (k[1] != NO_TENANT).then(|| name(1)),
            kind: if k[2] == 0 { "service" } else { "resource" },
            name: name(3),
        }
    }

    /// `daily` (keys of interned values, the day first) sorted as the texts of their values
    /// sort, and its values summed per month (the day cut to `YYYY-MM`), sorted too: the
    /// order the rollup tables are written in. `interned` says which parts of a key are
    /// interned values; the others are driver kinds (0 "service", 1 "resource": sorted as
    /// 1 - kind, as their texts sort). Sorting numbers ranked by text instead of the texts themselves
    /// is what keeps a year of rollups quick to write.
    fn by_period<const N: usize, V: Copy + Default + std::ops::AddAssign>(
        &mut self,
        mut daily: Vec<([u32; N], V)>,
        interned: [bool; N],
    ) -> Periods<[u32; N], V> {
        let mut month_of: FxHashMap<u32, u32> = FxHashMap::default();
        for (k, _) in &daily {
            if let std::collections::hash_map::Entry::Vacant(slot) = month_of.entry(k[0]) {
                let day = self.strings.name(k[0]);
                let month = day[..day.len().min(7)].to_vec();
                slot.insert(self.strings.id(&month));
            }
        }
        // Each value's place among all values in text order, from 1; "no tenant" is 0.
        let s = &self.strings;
        let mut order: Vec<u32> = (0..s.names().count() as u32).collect();
        order.sort_unstable_by(|&a, &b| s.name(a).cmp(s.name(b)));
        let mut rank = vec![0u32; order.len()];
        for (place, id) in order.into_iter().enumerate() {
            rank[id as usize] = place as u32 + 1;
        }
        let sort_key = |k: &[u32; N]| -> [u32; N] {
            let mut out = [0; N];
            for ((o, &part), interned) in out.iter_mut().zip(k).zip(interned) {
                *o = match part {
                    _ if !interned => u32::from(part == 0),
                    NO_TENANT => 0,
                    id => rank[id as usize],
                };
            }
            out
        };
        daily.sort_unstable_by_key(|(k, _)| sort_key(k));
        let mut monthly: FxHashMap<[u32; N], V> = FxHashMap::default();
        for (k, v) in &daily {
            let mut month = *k;
            month[0] = month_of[&k[0]];
            *monthly.entry(month).or_default() += *v;
        }
        let mut monthly: Vec<([u32; N], V)> = monthly.into_iter().collect();
        monthly.sort_unstable_by_key(|(k, _)| sort_key(k));
        [(Grain::Day, daily), (Grain::Month, monthly)]
    }
}

/// One parsed row, borrowing from the record.
pub(super) struct Row<'a> {
    pub(super) day: &'a [u8],
    pub(super) who: Attributed,
    pub(super) region: &'a [u8],
    pub(super) provider: &'a [u8],
    pub(super) service_name: &'a [u8],
    pub(super) resource_id: &'a [u8],
    pub(super) billed: Money,
    pub(super) effective: Money,
    pub(super) requests: Option<Money>,
    /// A credit (FOCUS `ChargeCategory` `Credit`), not a charge.
    pub(super) credit: bool,
}
