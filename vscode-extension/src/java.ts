// Finding a Java 17+ to run the bundled server jar: the robustspec.java.home setting, then
// JAVA_HOME, then PATH. Node only (no 'vscode'), so the tests can run it with fake JDKs.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const MIN_JAVA = 17;

export interface JavaFound { ok: true; java: string; version: number; source: string }
export interface JavaMissing { ok: false; message: string }

interface Candidate { source: string; java: string | null; why?: string }

const exe = process.platform === 'win32' ? 'java.exe' : 'java';

/** The major version in `java -version` output: `version "17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function parseJavaVersion(output: string): number | null {
  const m = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(output);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

function fromHome(source: string, home: string): Candidate {
  const java = path.join(home, 'bin', exe);
  return fs.existsSync(java) ? { source, java } : { source, java: null, why: `${java} does not exist` };
}

function fromPath(envPath: string | undefined): Candidate {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const java = path.join(dir, exe);
    try {
      fs.accessSync(java, fs.constants.X_OK);
      return { source: 'PATH', java };
    } catch {
      // not in this directory
    }
  }
  return { source: 'PATH', java: null, why: 'no java on PATH' };
}

function runVersion(java: string): Promise<string> {
  return new Promise((resolve) => {
    // java -version prints to stderr; a broken binary gives an error we report as such.
    execFile(java, ['-version'], { timeout: 15000 }, (err, stdout, stderr) => {
      resolve(err && !stderr ? `error: ${err.message}` : `${stderr}${stdout}`);
    });
  });
}

/**
 * The first candidate that is Java 17 or newer, or a message naming every place tried. The
 * runtime bundled in a platform .vsix (`bundledHome`, e.g. server/jre of the linux-x64 package,
 * a jlinked runtime with only the modules the server needs) comes first when it is there.
 */
export async function findJava(setting: string | undefined, env: NodeJS.ProcessEnv, bundledHome?: string): Promise<JavaFound | JavaMissing> {
  const candidates: Candidate[] = [];
  if (bundledHome && fs.existsSync(path.join(bundledHome, 'bin', exe))) {
    candidates.push(fromHome('the runtime bundled with the extension', bundledHome));
  }
  if (setting && setting.trim()) candidates.push(fromHome('the setting robustspec.java.home', setting.trim()));
  else candidates.push({ source: 'the setting robustspec.java.home', java: null, why: 'not set' });
  if (env.JAVA_HOME) candidates.push(fromHome('JAVA_HOME', env.JAVA_HOME));
  else candidates.push({ source: 'JAVA_HOME', java: null, why: 'not set' });
  candidates.push(fromPath(env.PATH));

  const tried: string[] = [];
  for (const c of candidates) {
    if (c.java === null) {
      tried.push(`${c.source}: ${c.why}`);
      continue;
    }
    const output = await runVersion(c.java);
    const version = parseJavaVersion(output);
    if (version === null) {
      tried.push(`${c.source}: ${c.java} did not report a version (${output.trim().split('\n')[0]})`);
    } else if (version < MIN_JAVA) {
      tried.push(`${c.source}: ${c.java} is Java ${version}`);
    } else {
      return { ok: true, java: c.java, version, source: c.source };
    }
  }
  return {
    ok: false,
    message: `RobustSpec needs Java ${MIN_JAVA} or newer to run its language server, and found none. ` +
      `Tried ${tried.join('; ')}. Install a JDK ${MIN_JAVA}+ and set robustspec.java.home to its folder.`,
  };
}
