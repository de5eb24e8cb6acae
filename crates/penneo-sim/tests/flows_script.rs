//! Runs `scripts/sim-flows.sh` (bash + curl + python3, no project code) against the built
//! `penneo-sim` binary, so `cargo test -p penneo-sim` walks the documented flows too.

use std::process::Command;

#[test]
fn documented_flows_script_passes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("scripts/sim-flows.sh");
    let out = Command::new("bash")
        .arg(&script)
        .env("PENNEO_SIM_BIN", env!("CARGO_BIN_EXE_penneo-sim"))
        .current_dir(&root)
        .output()
        .expect("bash must be available to run scripts/sim-flows.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sim-flows.sh failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.ends_with("passed, 0 failed"),
        "unexpected summary: {last}"
    );
    let passed: usize = last.split(' ').next().unwrap_or("0").parse().unwrap_or(0);
    assert!(passed >= 40, "only {passed} checks ran");
}
