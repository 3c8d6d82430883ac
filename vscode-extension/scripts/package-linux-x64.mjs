// The linux-x64 .vsix: the plain package plus a Java runtime in server/jre, made by jlink with
// only the modules the server jar needs (jdeps lists them), so the extension runs with no Java
// installed (the extension prefers server/jre when it is there). Run after `npm run package`
// (the bundle and server/robustspec.jar); needs a JDK 17+ (jdeps, jlink) on the PATH or in
// JAVA_HOME. Writes robustspec-linux-x64-VERSION.vsix, then removes server/jre again so the
// plain .vsix stays platform-neutral.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
const tool = (name) => (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', name) : name);
const jar = path.join(ext, 'server', 'robustspec.jar');
const jre = path.join(ext, 'server', 'jre');
if (!fs.existsSync(jar)) {
  console.error('package-linux-x64: server/robustspec.jar is missing: run npm run package first');
  process.exit(1);
}
const modules = execFileSync(tool('jdeps'), ['--print-module-deps', '--ignore-missing-deps',
  '--multi-release', '17', jar], { encoding: 'utf8' }).trim();
console.log(`package-linux-x64: the server needs ${modules}`);
fs.rmSync(jre, { recursive: true, force: true });
execFileSync(tool('jlink'), ['--add-modules', modules, '--strip-debug', '--no-man-pages',
  '--no-header-files', '--compress=2', '--output', jre], { stdio: 'inherit' });
try {
  const out = `${pkg.name}-linux-x64-${pkg.version}.vsix`;
  execFileSync(process.execPath, [path.join(ext, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package', '--target', 'linux-x64', '--no-dependencies', '--allow-missing-repository',
    '--skip-license', '-o', out], { cwd: ext, stdio: 'inherit' });
  console.log(`package-linux-x64: wrote ${out}`);
} finally {
  fs.rmSync(jre, { recursive: true, force: true });
}
