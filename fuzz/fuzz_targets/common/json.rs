//! The property every JSON → file target is fuzzed for: building from any JSON never panics,
//! and a file built that validates converts to JSON that builds the same bytes again.

/// `build` writes the file a JSON document describes (false when it refuses); `json_of_valid`
/// gives a file's own JSON, or `None` when the file does not validate.
pub fn round_trip(
    data: &[u8],
    build: impl Fn(&[u8], &mut Vec<u8>) -> bool,
    json_of_valid: impl Fn(&[u8]) -> Option<Vec<u8>>,
    format: &str,
) {
    let mut built = Vec::new();
    if !build(data, &mut built) {
        return;
    }
    let Some(json) = json_of_valid(&built) else { return };
    let mut again = Vec::new();
    assert!(build(&json, &mut again), "{format}: kidkit's own JSON converts back");
    assert_eq!(again, built, "JSON → {format} → JSON → {format} changed the file");
}
