import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { isIgnored, parseIgnore } from '../../../src/core/size';
import { includedOnPurpose } from '../../../src/core/size/sensitive';

/**
 * Runs `isIgnored(parseIgnore(pattern), rel)` in a child process that is killed after `ms`, so a
 * matcher that backtracks for ever fails this test instead of hanging the whole tier.
 */
function matchInChild(pattern: string, rel: string, ms: number): Promise<boolean | 'timed out'> {
  const module = join(__dirname, '..', '..', '..', 'src', 'core', 'size', 'ignore.js');
  const script = `const m = require(${JSON.stringify(module)}); process.stdout.write(String(!!m.isIgnored(m.parseIgnore(${JSON.stringify(pattern)}), ${JSON.stringify(rel)}, false)));`;
  return new Promise((done, fail) => {
    execFile(process.execPath, ['-e', script], { timeout: ms, killSignal: 'SIGKILL' }, (err, stdout) => {
      if (err && (err as { killed?: boolean }).killed) done('timed out');
      else if (err) fail(err);
      else done(stdout === 'true');
    });
  });
}

describe('size: .lambdaignore matching', () => {
  it('answers at once for a pattern of many stars against a long name (no backtracking)', async () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*b';
    assert.equal(await matchInChild(pattern, 'a'.repeat(5000), 10_000), false);
    assert.equal(await matchInChild(pattern, `${'a'.repeat(5000)}b`, 10_000), true);
    assert.equal(await matchInChild(`/**/${pattern}/**/x`, `${'a/'.repeat(2000)}x`, 10_000), false);
  });

  it('reads bracket expressions, escapes and trailing spaces as git does', () => {
    const p = parseIgnore('[abc].txt\n[!x-z]?.log\nlit\\*eral\n\\#hash\n\\!bang\ntrail   \nkeep\\ \n[[:digit:]][[:digit:]].bin\n');
    assert.ok(isIgnored(p, 'b.txt', false));
    assert.equal(isIgnored(p, 'd.txt', false), undefined);
    assert.ok(isIgnored(p, 'a1.log', false));
    assert.equal(isIgnored(p, 'y1.log', false), undefined);
    assert.ok(isIgnored(p, 'lit*eral', false));
    assert.equal(isIgnored(p, 'litXeral', false), undefined);
    assert.ok(isIgnored(p, '#hash', false));
    assert.ok(isIgnored(p, '!bang', false));
    assert.ok(isIgnored(p, 'trail', false));
    assert.ok(isIgnored(p, 'keep ', false));
    assert.ok(isIgnored(p, 'x/42.bin', false));
    assert.equal(isIgnored(p, '4x.bin', false), undefined);
  });

  it('never matches a separator with *, ? or a bracket, and reads ** inside a segment as *', () => {
    const p = parseIgnore('/a*b\n/c?d\n/e[/]f\n/g**h\n');
    assert.equal(isIgnored(p, 'a/b', false), undefined);
    assert.equal(isIgnored(p, 'c/d', false), undefined);
    assert.equal(isIgnored(p, 'e/f', false), undefined);
    assert.equal(isIgnored(p, 'g/x/h', false), undefined);
    assert.ok(isIgnored(p, 'gxxh', false));
    // A segment of nothing but stars is `**`, however many there are.
    const q = parseIgnore('***/a\nb/***\n');
    assert.ok(isIgnored(q, 'x/y/a', false));
    assert.ok(isIgnored(q, 'a', false));
    assert.ok(isIgnored(q, 'b/c/d', false));
  });

  it('matches names with newlines and characters beyond the BMP', () => {
    const p = parseIgnore('**/x\n*.😀\n');
    assert.ok(isIgnored(p, 'a\nb/x', false));
    assert.ok(isIgnored(p, 'face.😀', false));
  });

  it('asks whether a secret is included on purpose about its exact name, glob characters and all', () => {
    assert.equal(includedOnPurpose(parseIgnore('*.log\n'), 'keys/a[1].pem', false), false, 'no ! pattern names it');
    assert.equal(includedOnPurpose(parseIgnore('!keys/a\\[1\\].pem\n'), 'keys/a[1].pem', false), true);
    assert.equal(includedOnPurpose(parseIgnore('*.log\n'), 'keys/*.pem', false), false);
  });
});
