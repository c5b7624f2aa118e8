//! `scalelint lsp` driven by a real client: headless Neovim's built-in LSP
//! client opens a description file with multi-byte text, and the test checks
//! the published diagnostics (exact UTF-16 ranges), hover, the quick fix,
//! a buffer change, and the suppression code action.
//!
//! Needs `nvim` (Debian: `apt-get install -y --no-install-recommends
//! neovim`; .ci/run installs it). Without it the test fails, never skips.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The document: multi-byte characters (2-byte `é`, 3-byte `日本`, and the
/// 4-byte `😀`, two UTF-16 units) before the flagged values on their lines,
/// so UTF-16 columns differ from byte and from character columns.
const DOC: &str = "# café-orders: 日本 team\n\
version: 1\n\
system: {name: café-orders, users: 5000}  # 日本\n\
services:\n  - {name: 日本-api-😀, metrics: {cpu: 0.9}}\n\
databases:\n  - {name: café-db-😀, cores: 8, pool_size: 40}\n\
observability: {monitoring: true}\n";

const CPU_LINE: u32 = 4;
const CHANGED_CPU_LINE: &str = "  - {name: 日本-api-😀, metrics: {cpu: 0.75}}";
const POOL_LINE: u32 = 6;

/// The client: Neovim's own LSP client (`vim.lsp.start` where it exists,
/// `start_client` + `buf_attach_client` on Neovim 0.7). The raw
/// publishDiagnostics params are recorded by wrapping the client's handler,
/// so the test sees the server's UTF-16 ranges exactly; Neovim's converted
/// diagnostics (byte columns) are recorded too.
const SCRIPT: &str = r#"
local cfg = vim.json.decode(table.concat(vim.fn.readfile(os.getenv('SCALELINT_NVIM_CONFIG')), '\n'))
local results = {steps = {}}

local function finish(err)
  results.error = err
  vim.fn.writefile({vim.json.encode(results)}, cfg.out)
  vim.cmd('qa!')
end

local published = {}
local original = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  table.insert(published, result)
  return original(err, result, ctx, config)
end

local function wait_publish(seen, what)
  local ok = vim.wait(10000, function() return #published > seen end, 20)
  if not ok then error('no publishDiagnostics within 10 s ' .. what) end
  -- Let a burst of notifications settle, then take the last.
  vim.wait(200, function() return false end, 20)
  return published[#published]
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 5000)
  for _, r in pairs(responses or {}) do
    if r.err then error(method .. ': ' .. vim.inspect(r.err)) end
    return r.result
  end
  error(method .. ': no response')
end

local function converted(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(out, {code = d.code or lsp.code, lnum = d.lnum, col = d.col,
      end_lnum = d.end_lnum, end_col = d.end_col, lsp_range = lsp.range})
  end
  return out
end

local function find(diags, code)
  for _, d in ipairs(diags) do
    if d.code == code then return d end
  end
  error('no ' .. code .. ' diagnostic in ' .. vim.inspect(diags))
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(cfg.file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local config = {name = 'scalelint', cmd = {cfg.bin, 'lsp'}, root_dir = cfg.dir}
  if vim.lsp.start then
    vim.lsp.start(config)
  else
    local id = vim.lsp.start_client(config)
    if not id then error('start_client failed') end
    vim.lsp.buf_attach_client(bufnr, id)
  end

  local initial = wait_publish(0, 'after opening the file')
  vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  results.steps.initial = {raw = initial, converted = converted(bufnr)}

  local cpu = find(initial.diagnostics, 'SL103')
  local at = {line = cpu.range.start.line, character = cpu.range.start.character + 1}
  results.steps.hover = request(bufnr, 'textDocument/hover',
    {textDocument = {uri = uri}, position = at})

  -- The quick fix of SL502, applied as the client would.
  local pool = find(initial.diagnostics, 'SL502')
  local actions = request(bufnr, 'textDocument/codeAction',
    {textDocument = {uri = uri}, range = pool.range, context = {diagnostics = {pool}}})
  results.steps.fix_actions = actions
  local fix
  for _, a in ipairs(actions) do
    if a.isPreferred then fix = a end
  end
  if not fix then error('no preferred quick fix for SL502') end
  local seen = #published
  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  results.steps.fixed = {raw = wait_publish(seen, 'after the quick fix'),
    line = vim.api.nvim_buf_get_lines(bufnr, cfg.pool_line, cfg.pool_line + 1, false)[1]}

  -- An edit: didChange, then new diagnostics.
  seen = #published
  vim.api.nvim_buf_set_lines(bufnr, cfg.cpu_line, cfg.cpu_line + 1, false, {cfg.changed_line})
  local changed = wait_publish(seen, 'after the edit')
  results.steps.changed = {raw = changed}

  -- Suppress SL103 with the code action; the finding goes away.
  cpu = find(changed.diagnostics, 'SL103')
  actions = request(bufnr, 'textDocument/codeAction',
    {textDocument = {uri = uri}, range = cpu.range, context = {diagnostics = {cpu}}})
  results.steps.suppress_actions = actions
  local suppress
  for _, a in ipairs(actions) do
    if a.title:find('SL103', 1, true) and a.title:find('suppress', 1, true) then suppress = a end
  end
  if not suppress then error('no suppress action for SL103') end
  seen = #published
  vim.lsp.util.apply_workspace_edit(suppress.edit, 'utf-16')
  results.steps.suppressed = {raw = wait_publish(seen, 'after the suppression'),
    line = vim.api.nvim_buf_get_lines(bufnr, cfg.cpu_line, cfg.cpu_line + 1, false)[1]}
end

local ok, err = pcall(run)
finish(ok and vim.NIL or tostring(err))
"#;

/// The UTF-16 column of the first `needle` on a 0-based line of `text`,
/// computed independently of the server.
fn utf16_col(text: &str, line: u32, needle: &str) -> (u32, u32) {
    let l = text.lines().nth(line as usize).expect("line");
    let byte = l.find(needle).expect("needle on the line");
    let start = l[..byte].encode_utf16().count() as u32;
    (start, start + needle.encode_utf16().count() as u32)
}

fn byte_col(text: &str, line: u32, needle: &str) -> u64 {
    let l = text.lines().nth(line as usize).expect("line");
    l.find(needle).expect("needle on the line") as u64
}

fn require_nvim() {
    let out = Command::new("nvim").arg("--version").output().ok();
    let Some(out) = out.filter(|o| o.status.success()) else {
        panic!(
            "nvim (Neovim) is not installed; this test drives the LSP server with Neovim's \
             built-in client. Install it: `apt-get update && apt-get install -y \
             --no-install-recommends neovim`"
        );
    };
    let version = String::from_utf8_lossy(&out.stdout);
    let first = version.lines().next().unwrap_or_default();
    let numbers: Vec<u32> = first
        .trim_start_matches("NVIM v")
        .split(['.', '-'])
        .take(2)
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        numbers.as_slice() >= [0, 7].as_slice(),
        "Neovim 0.7 or later is needed for its LSP client; found `{first}`"
    );
}

fn run_nvim(dir: &Path, file: &Path) -> Value {
    let script = dir.join("client.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let out = dir.join("out.json");
    let config = dir.join("config.json");
    let cfg = serde_json::json!({
        "bin": env!("CARGO_BIN_EXE_scalelint"),
        "dir": dir,
        "file": file,
        "out": out,
        "cpu_line": CPU_LINE,
        "pool_line": POOL_LINE,
        "changed_line": CHANGED_CPU_LINE,
    });
    std::fs::write(&config, cfg.to_string()).unwrap();
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("SCALELINT_NVIM_CONFIG", &config)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "nvim wrote no results; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let results: Value = serde_json::from_str(&text).unwrap();
    assert!(
        results["error"].is_null(),
        "the Neovim script failed: {}",
        results["error"]
    );
    results["steps"].clone()
}

fn diagnostic<'a>(publish: &'a Value, code: &str) -> &'a Value {
    publish["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {publish:#}"))
}

fn codes(publish: &Value) -> Vec<String> {
    let mut c: Vec<String> = publish["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    c.sort();
    c
}

fn range(line: u32, (start, end): (u32, u32)) -> Value {
    serde_json::json!({
        "start": {"line": line, "character": start},
        "end": {"line": line, "character": end},
    })
}

#[test]
fn neovim_client() {
    if !common::client("nvim", &["--version"], "apt-get install neovim") {
        return;
    }
    require_nvim();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    // The config is found by walking up from the document's directory,
    // as `check` would from there.
    std::fs::write(dir.join("scalelint.yaml"), "severity: {SL202: info}\n").unwrap();
    std::fs::create_dir(dir.join("arch")).unwrap();
    let file = dir.join("arch").join("orders.arch.yaml");
    std::fs::write(&file, DOC).unwrap();
    let steps = run_nvim(&dir, &file);

    // Opening: the three findings, ranges in UTF-16 units.
    let initial = &steps["initial"]["raw"];
    assert_eq!(codes(initial), ["SL103", "SL202", "SL502"], "{initial:#}");
    let cpu_cols = utf16_col(DOC, CPU_LINE, "0.9");
    // 2 + `{name: ` 7 + `日本-api-` 6 + `😀` 2 (one scalar, two units) + …
    assert_ne!(
        cpu_cols.0 as usize,
        byte_col(DOC, CPU_LINE, "0.9") as usize,
        "the test needs multi-byte text before the value"
    );
    let cpu = diagnostic(initial, "SL103");
    assert_eq!(cpu["range"], range(CPU_LINE, cpu_cols), "{cpu:#}");
    assert_eq!(cpu["severity"], 1);
    assert_eq!(cpu["source"], "scalelint");
    assert_eq!(
        cpu["codeDescription"]["href"],
        "https://github.com/scalelint/scalelint/blob/main/docs/rules.md#sl103"
    );
    let message = cpu["message"].as_str().unwrap();
    assert!(
        message.starts_with("service `日本-api-😀` runs at 90% CPU")
            && message.contains("\nadd instances"),
        "message, then help on a line of its own: {message}"
    );
    let sl202 = diagnostic(initial, "SL202");
    assert_eq!(
        sl202["severity"], 3,
        "the config makes SL202 info: {sl202:#}"
    );
    let pool = diagnostic(initial, "SL502");
    let pool_range = range(POOL_LINE, utf16_col(DOC, POOL_LINE, "40"));
    assert_eq!(pool["range"], pool_range);
    assert_eq!(
        pool["data"]["fix"],
        serde_json::json!({"range": pool_range, "replacement": "17"})
    );

    // Neovim read the UTF-16 columns as the right bytes.
    let converted = steps["initial"]["converted"].as_array().unwrap();
    let nv = converted.iter().find(|d| d["code"] == "SL103").unwrap();
    assert_eq!(nv["lnum"], CPU_LINE);
    assert_eq!(nv["col"], byte_col(DOC, CPU_LINE, "0.9"));
    assert_eq!(nv["end_col"], byte_col(DOC, CPU_LINE, "0.9") + 3);

    // Hover: the rule's docs, as markdown.
    let hover = &steps["hover"];
    assert_eq!(hover["contents"]["kind"], "markdown", "{hover:#}");
    let docs = hover["contents"]["value"].as_str().unwrap();
    assert!(
        docs.contains("SL103 server-cpu") && docs.contains("What it does"),
        "{docs}"
    );

    // The quick fix replaced exactly the value; SL502 is gone.
    let titles: Vec<&str> = steps["fix_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"SL502: replace with `17`"), "{titles:?}");
    assert!(
        titles.contains(&"SL502: suppress with a reason"),
        "{titles:?}"
    );
    assert_eq!(
        steps["fixed"]["line"],
        "  - {name: café-db-😀, cores: 8, pool_size: 17}"
    );
    assert_eq!(codes(&steps["fixed"]["raw"]), ["SL103", "SL202"]);

    // The edit: SL103 drops to a warning on the new, longer value.
    let changed = &steps["changed"]["raw"];
    let cpu = diagnostic(changed, "SL103");
    assert_eq!(cpu["severity"], 2, "{cpu:#}");
    assert_eq!(
        cpu["range"],
        range(CPU_LINE, utf16_col(CHANGED_CPU_LINE, 0, "0.75"))
    );

    // The suppression went to the end of the line; SL103 is hidden.
    assert_eq!(
        steps["suppressed"]["line"],
        format!("{CHANGED_CPU_LINE} # scalelint: ignore[SL103] reason")
    );
    assert_eq!(codes(&steps["suppressed"]["raw"]), ["SL202"]);
}
