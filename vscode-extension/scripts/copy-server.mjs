// Copies the server jar into server/ for the .vsix. The jar is built by Maven from the repo
// root: `mvn -B -q -DskipTests -pl dist -am package` (dist/target/robustspec.jar, with `lsp`).
// ROBUSTSPEC_JAR overrides the path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const candidates = process.env.ROBUSTSPEC_JAR
  ? [process.env.ROBUSTSPEC_JAR]
  : [path.join(root, 'dist', 'target', 'robustspec.jar')];
const jar = candidates.find((p) => fs.existsSync(p));
if (!jar) {
  console.error(`copy-server: no server jar at ${candidates.join(' or ')}.\n` +
    'Build it from the repo root: ./robustspec --version (or mvn -B -q -DskipTests -pl dist -am package)');
  process.exit(1);
}
fs.mkdirSync(path.join(here, '..', 'server'), { recursive: true });
fs.copyFileSync(jar, path.join(here, '..', 'server', 'robustspec.jar'));
console.log(`copy-server: ${jar} -> server/robustspec.jar`);
