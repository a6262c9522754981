//! `wasm2php IN.wasm -o OUT.php [--namespace NS] [--class NAME]`

use std::process::ExitCode;

const USAGE: &str =
    "usage: wasm2php IN.wasm -o OUT.php [--namespace 'Vendor\\Generated'] [--class CoreModule]

Translates a WebAssembly module (no imports) into one PHP file holding one
class for PHP 7.4 to 8.3. `-o -` writes to standard output.";

struct Args {
    input: String,
    output: String,
    options: wasm2php::Options,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut input = None;
    let mut output = None;
    let mut options = wasm2php::Options::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-o" | "--output" => output = Some(value("-o")?),
            "--namespace" => options.namespace = value("--namespace")?,
            "--class" => options.class = value("--class")?,
            "-h" | "--help" => return Err(String::new()),
            _ if arg.starts_with('-') && arg != "-" => {
                return Err(format!("unknown option `{arg}`"))
            }
            _ if input.is_none() => input = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    Ok(Args {
        input: input.ok_or("missing input file")?,
        output: output.ok_or("missing -o OUT.php")?,
        options,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            use std::io::Write;
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("wasm2php: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let wasm = match std::fs::read(&args.input) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("wasm2php: cannot read {}: {e}", args.input);
            return ExitCode::FAILURE;
        }
    };
    let php = match wasm2php::translate(&wasm, &args.options) {
        Ok(php) => php,
        Err(e) => {
            eprintln!("wasm2php: {}: {e}", args.input);
            return ExitCode::FAILURE;
        }
    };
    let written = if args.output == "-" {
        use std::io::Write;
        std::io::stdout().write_all(php.as_bytes())
    } else {
        if let Some(dir) = std::path::Path::new(&args.output).parent() {
            if !dir.as_os_str().is_empty() {
                let _ = std::fs::create_dir_all(dir);
            }
        }
        std::fs::write(&args.output, php)
    };
    if let Err(e) = written {
        eprintln!("wasm2php: cannot write {}: {e}", args.output);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
