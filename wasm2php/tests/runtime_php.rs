//! `src/emit/runtime.php`, the helpers the translation copies into the
//! generated class, is a PHP file of its own: it must parse.

use std::process::Command;

#[test]
fn runtime_php_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/emit/runtime.php");
    let output = Command::new("php")
        .args(["-l", path])
        .output()
        .expect("php is installed (PHP 8.2 CLI)");
    assert!(
        output.status.success(),
        "php -l {path}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
