// Parses a Mermaid diagram with the real mermaid parser (in a jsdom window,
// which mermaid needs even to parse). Prints {"ok": …} per file; exits 1 on any parse error.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
// One result line per file given.
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const r = await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(JSON.stringify({ file, ok: true, type: r.diagramType }));
  } catch (e) {
    failed = true;
    console.log(JSON.stringify({ file, ok: false, error: String(e.message || e) }));
  }
}
process.exit(failed ? 1 : 0);
