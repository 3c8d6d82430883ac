// Finding Java 17+: the setting, then JAVA_HOME, then PATH, with fake `java` scripts that print
// what real JDKs print; and the message when none fits.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { findJava, parseJavaVersion } from '../src/java';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rspec-java-'));

/** A fake JDK home whose bin/java prints `version` the way `java -version` does (on stderr). */
function fakeJdk(name: string, version: string): string {
  const home = path.join(root, name);
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  const java = path.join(home, 'bin', 'java');
  fs.writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2025-04-15' >&2\n`, { mode: 0o755 });
  return home;
}

const jdk8 = fakeJdk('jdk8', '1.8.0_392');
const jdk11 = fakeJdk('jdk11', '11.0.2');
const jdk17 = fakeJdk('jdk17', '17.0.15');
const jdk21 = fakeJdk('jdk21', '21');
const empty = fs.mkdtempSync(path.join(root, 'empty-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('Java discovery', { skip: process.platform === 'win32' && 'shell-script fake JDKs' }, () => {
  it('parses old and new version strings', () => {
    assert.equal(parseJavaVersion('java version "1.8.0_392"'), 8);
    assert.equal(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), 17);
    assert.equal(parseJavaVersion('openjdk version "21" 2023-09-19'), 21);
    assert.equal(parseJavaVersion('openjdk version "25-ea" 2025-09-16'), 25);
    assert.equal(parseJavaVersion('bash: java: not found'), null);
  });

  it('prefers the setting over JAVA_HOME and PATH', async () => {
    const r = await findJava(jdk21, { JAVA_HOME: jdk17, PATH: path.join(jdk17, 'bin') });
    assert.deepEqual(r, { ok: true, java: path.join(jdk21, 'bin', 'java'), version: 21, source: 'the setting robustspec.java.home' });
  });

  it('prefers the runtime bundled in a platform package, and does without one', async () => {
    const r = await findJava(jdk21, { JAVA_HOME: jdk21 }, jdk17);
    assert.deepEqual(r, { ok: true, java: path.join(jdk17, 'bin', 'java'), version: 17, source: 'the runtime bundled with the extension' });
    const plain = await findJava('', { JAVA_HOME: jdk21 }, path.join(empty, 'jre'));
    assert.ok(plain.ok && plain.source === 'JAVA_HOME', JSON.stringify(plain));
  });

  it('uses JAVA_HOME, then PATH, skipping a Java that is too old', async () => {
    const r1 = await findJava('', { JAVA_HOME: jdk17, PATH: path.join(jdk21, 'bin') });
    assert.ok(r1.ok && r1.source === 'JAVA_HOME' && r1.version === 17, JSON.stringify(r1));
    const r2 = await findJava(jdk8, { JAVA_HOME: jdk11, PATH: [empty, path.join(jdk17, 'bin')].join(path.delimiter) });
    assert.ok(r2.ok && r2.source === 'PATH' && r2.java === path.join(jdk17, 'bin', 'java'), JSON.stringify(r2));
  });

  it('says what it tried when no Java 17+ is found', async () => {
    const r = await findJava(path.join(root, 'nowhere'), { JAVA_HOME: jdk11, PATH: path.join(jdk8, 'bin') });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.message, /needs Java 17 or newer/);
    assert.match(r.message, /robustspec\.java\.home: .*nowhere.*does not exist/);
    assert.match(r.message, /JAVA_HOME: .*jdk11.* is Java 11/);
    assert.match(r.message, /PATH: .*jdk8.* is Java 8/);
    const none = await findJava(undefined, { PATH: empty });
    assert.ok(!none.ok && /setting robustspec\.java\.home: not set; JAVA_HOME: not set; PATH: no java on PATH/.test(none.message),
      JSON.stringify(none));
  });
});
