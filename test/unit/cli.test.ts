import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli';
import type { Io } from '../../src/cli/io';

const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += `${t}\n`), err: (t: string) => void (io.stderr += `${t}\n`) };
  return io;
}

describe('cli', () => {
  it('prints the version from package.json', async () => {
    const io = capture();
    assert.equal(await runCli(['--version'], io), 0);
    assert.equal(io.stdout.trim(), pkg.version);
  });

  it('prints usage listing every command for --help', async () => {
    const io = capture();
    assert.equal(await runCli(['--help'], io), 0);
    for (const cmd of ['functions', 'new', 'size', 'package', 'invoke', 'bench', 'deploy', 'layers', 'doctor']) {
      assert.match(io.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), `usage lists ${cmd}`);
    }
  });

  it('exits 2 with a hint for an unknown command, and for no command', async () => {
    const io = capture();
    assert.equal(await runCli(['frobnicate'], io), 2);
    assert.match(io.stderr, /unknown command 'frobnicate'/);
    assert.match(io.stderr, /--help/);
    assert.equal(await runCli([], capture()), 2);
  });

  it('serve takes --min-warm beside --warm, up to 10 containers per function', async () => {
    const help = capture();
    assert.equal(await runCli(['serve', '--help'], help), 0);
    assert.match(help.stdout, /--warm N /);
    assert.match(help.stdout, /--min-warm N /);
    const tooMany = capture();
    assert.equal(await runCli(['serve', '--min-warm', '11', '--root', ROOT], tooMany), 2);
    assert.match(tooMany.stderr, /--min-warm is at most 10 containers per function, not '11'/);
    const notANumber = capture();
    assert.equal(await runCli(['serve', '--min-warm', 'two', '--root', ROOT], notANumber), 2);
    assert.match(notANumber.stderr, /--min-warm wants a whole number/);
  });

  it('runs as the installed bin: the bundled dist/cli.js', () => {
    const bin = join(ROOT, pkg.bin['lambda-workbench']);
    assert.match(readFileSync(bin, 'utf8').split('\n')[0], /^#!\/usr\/bin\/env node/);
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `${pkg.version}\n`);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: lambda-workbench/);
    const bad = spawnSync(process.execPath, [bin, '--nope'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '', 'errors go to stderr only');
  });
});
