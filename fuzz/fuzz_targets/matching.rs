//! Matching inputs: the first part of the input (up to a 0x00 byte) is read as an open-items
//! CSV, the rest as a payments CSV. Reading never panics; the items still open, written back,
//! read back the same (write → read → write is stable); matching conserves money and never pays
//! an item beyond its amount.
#![no_main]

use kidkit_matching::{read_open_items, write_open};
use kidkit_matching::{Matcher, Options, Payment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (items, rest) = data.split_at(cut);
    let payments_text = rest.get(1..).unwrap_or(&[]);
    let Ok(open) = read_open_items(items, "items", None) else { return };
    let mut payments: Vec<Payment> = Vec::new();
    let report = kidkit_matching::read_payments(payments_text, "payments", None, |b| {
        payments.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    let Some(index) = open.index else { return };
    let written = write_open(&index, Vec::new()).unwrap();
    let again = read_open_items(&written[..], "again", None).unwrap();
    let again_index = again.index.expect("items kidkit wrote read back without errors");
    assert_eq!(write_open(&again_index, Vec::new()).unwrap(), written, "write → read → write is stable");
    if report.is_invalid() {
        return;
    }
    let due: Vec<i64> = (0..index.len() as u32).map(|i| index.remaining(i)).collect();
    let mut m = Matcher::new(index, Options::default());
    for r in m.match_batch(&payments).iter().zip(&payments) {
        let (result, p) = r;
        let applied: i64 = result.applied.iter().map(|a| a.applied).sum();
        assert_eq!(applied + result.surplus, p.amount, "money is conserved");
        for a in &result.applied {
            assert!(a.remaining >= 0 && a.remaining <= due[a.item as usize], "{a:?}");
        }
    }
});
