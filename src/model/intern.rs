//! Distinct values numbered in the order first seen, so that running sums are keyed by small
//! integer tuples: no allocation per row, cheap hashing. Used by cost ingest (over raw CSV
//! bytes) and by cost reports (over SQL texts).

use std::hash::Hash;

use rustc_hash::FxHashMap;

pub struct Interner<T: ?Sized> {
    ids: FxHashMap<Box<T>, u32>,
    names: Vec<Box<T>>,
}

impl<T: ?Sized> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            ids: FxHashMap::default(),
            names: Vec::new(),
        }
    }
}

impl<T: ?Sized + Hash + Eq> Interner<T>
where
    for<'a> Box<T>: From<&'a T>,
{
    /// The number of `value`, given it if it is new.
    pub fn id(&mut self, value: &T) -> u32 {
        if let Some(id) = self.ids.get(value) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(value.into());
        self.ids.insert(value.into(), id);
        id
    }

    /// The value numbered `id` (which this interner gave).
    pub fn name(&self, id: u32) -> &T {
        &self.names[id as usize]
    }

    /// The values, in the order of their numbers.
    pub fn names(&self) -> impl Iterator<Item = &T> {
        self.names.iter().map(|n| &**n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_get_one_number_in_first_seen_order() {
        let mut names = Interner::<str>::default();
        assert_eq!(
            ["b", "a", "b", "c", "a"].map(|v| names.id(v)),
            [0, 1, 0, 2, 1]
        );
        assert_eq!(names.name(2), "c");
        assert_eq!(names.names().collect::<Vec<_>>(), ["b", "a", "c"]);
    }
}
