import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildEngine, ELF_MACHINE, type FunctionBuild, elfMachine } from '../../../src/core/build';
import { compareVersions, glibcNeeded } from '../../../src/core/build/glibc';
import { UserError } from '../../../src/core/errors';
import { filesUnder, hasInterpreter, offlineSettings, type Project, project, recordingTools, rustArm64Settings } from './support';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
Resources:
  Rust:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: rust/
    Metadata:
      BuildMethod: rust-cargolambda
  RustArm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: arm/
      Architectures: [arm64]
    Metadata:
      BuildMethod: rust-cargolambda
  Two:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: two/
    Metadata:
      BuildMethod: rust-cargolambda
  TwoNamed:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: two/
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties:
        Binary: other
  NewGlibc:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: newglibc/
    Metadata:
      BuildMethod: rust-cargolambda
`;

const HOST = process.arch === 'arm64' ? 'arm64' : 'x86_64';

/** A fresh build's artifact is one bootstrap, for this ELF machine, needing no newer glibc than Amazon Linux 2023's 2.34; its path. */
async function builtBootstrap(built: FunctionBuild, machine: number): Promise<string> {
  assert.deepEqual([built.status, built.builder], ['built', 'rust-cargolambda']);
  assert.deepEqual(filesUnder(built.artifactDir!), ['bootstrap']);
  const bootstrap = join(built.artifactDir!, 'bootstrap');
  assert.equal(await elfMachine(bootstrap), machine);
  const needed = await glibcNeeded(bootstrap);
  assert.ok(needed && compareVersions(needed, '2.34') <= 0, `needs glibc ${needed}`);
  return bootstrap;
}

// Without Cargo Lambda, functions for this machine's CPU are built with plain cargo, and checked
// against Amazon Linux 2023's glibc; a function for the other CPU is refused. With it (and a rustc
// that has the aarch64 standard library, which rustup cannot fetch here: scripts/setup.sh
// rustarm64), the arm64 function is cross-compiled as SAM does it.
describe('build (real cargo): Rust functions become a bootstrap for provided.al2023', function () {
  this.timeout(600_000);
  let p: Project;
  let recorder: ReturnType<typeof recordingTools>;
  let engine: BuildEngine;

  before(function () {
    if (process.platform !== 'linux' || HOST !== 'x86_64') this.skip(); // the template's arm64 function is the foreign one
    p = project(TEMPLATE, { rust: 'rust', arm: 'rust', two: 'rust', newglibc: 'rust' });
    mkdirSync(join(p.dir, 'two', 'src', 'bin'));
    p.write('two/src/bin/other.rs', 'fn main() { println!("the other binary"); }\n');
    recorder = recordingTools();
    engine = new BuildEngine({ cacheDir: p.cacheDir, settings: offlineSettings(), tools: recorder.tools });
  });
  after(() => p?.cleanup());

  it("cargo build --release for this machine: the function's binary as bootstrap, within glibc 2.34, and nothing else", async () => {
    const fns = await p.functions();
    const bootstrap = await builtBootstrap(await engine.build(fns.Rust), ELF_MACHINE.x86_64);
    assert.ok(hasInterpreter(bootstrap), 'linked against glibc');
    assert.ok((statSync(bootstrap).mode & 0o111) !== 0, 'executable');
    assert.deepEqual(recorder.calls, ['cargo metadata --format-version', 'cargo build --release']);
    assert.equal((await engine.build(fns.Rust)).status, 'cached');
  });

  it('an arm64 function on this x86_64 machine without Cargo Lambda: an error naming Cargo Lambda, Zig and the target', async () => {
    const fns = await p.functions();
    await assert.rejects(engine.build(fns.RustArm), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, /Building RustArm needs Cargo Lambda.*building for arm64 on this x86_64 linux machine/);
      assert.match(err.hint ?? '', /pip install cargo-lambda.*Zig.*rustup target add aarch64-unknown-linux-gnu/);
      return true;
    });
  });

  it('the same arm64 function with Cargo Lambda (from PyPI, with its Zig) and a rustc that has the aarch64 standard library: cargo lambda build --release --arm64 makes an aarch64 bootstrap within glibc 2.34', async () => {
    const cross = recordingTools();
    const settings = rustArm64Settings();
    const arm = new BuildEngine({ cacheDir: p.cacheDir, settings, tools: cross.tools });
    const fns = await p.functions();
    await builtBootstrap(await arm.build(fns.RustArm), ELF_MACHINE.arm64);
    assert.deepEqual(cross.calls, ['cargo metadata --format-version', 'cargo lambda build']);
    assert.equal(cross.envs[1].RUSTC, settings.env?.RUSTC, 'the build ran with the settings\' compiler');
    assert.equal((await arm.build(fns.RustArm)).status, 'cached');
  });

  it('several binaries: refused without BuildProperties.Binary, which picks one', async () => {
    const fns = await p.functions();
    await assert.rejects(engine.build(fns.Two), (err: unknown) => err instanceof UserError && /several binaries \(hello-rust, other\)/.test(err.message) && /Binary/.test(err.hint ?? ''));
    const built = await engine.build(fns.TwoNamed);
    const ran = spawnSync(join(built.artifactDir!, 'bootstrap'), { encoding: 'utf8' });
    assert.equal(ran.stdout, 'the other binary\n');
  });

  it("a binary that needs a newer glibc than Amazon Linux 2023's is refused, naming both versions", async function () {
    // arc4random came with glibc 2.36: linking it here asks for GLIBC_2.36.
    const host = spawnSync('ldd', ['--version'], { encoding: 'utf8' }).stdout;
    const version = /(\d+\.\d+)\s*$/m.exec(host.split('\n')[0])?.[1];
    if (!version || compareVersions(version, '2.36') < 0) this.skip(); // this machine's glibc is too old to show it
    const fns = await p.functions();
    const main = readFileSync(join(p.dir, 'newglibc', 'src', 'main.rs'), 'utf8');
    p.write('newglibc/src/main.rs', `extern "C" {\n    fn arc4random() -> u32;\n}\n${main.replace('async fn main() -> Result<(), Error> {', 'async fn main() -> Result<(), Error> {\n    println!("{}", unsafe { arc4random() });')}`);
    await assert.rejects(engine.build(fns.NewGlibc), (err: unknown) => {
      assert.ok(err instanceof UserError, String(err));
      assert.match(err.message, /needs glibc 2\.36 .*provided\.al2023 has glibc 2\.34/);
      assert.match(err.hint ?? '', /Cargo Lambda/);
      return true;
    });
    assert.equal(filesUnder(join(p.dir, '.lambda-workbench', 'build')).filter((f) => f.startsWith('NewGlibc/')).length, 0, 'no artifact');
  });

  it('a compile error: the compiler message, and the previous binary stays', async () => {
    const fns = await p.functions();
    const bootstrap = join(p.dir, '.lambda-workbench', 'build', 'Rust', 'bootstrap');
    const before = readFileSync(bootstrap);
    p.write('rust/src/main.rs', `${readFileSync(join(p.dir, 'rust', 'src', 'main.rs'), 'utf8')}\nfn broken() -> u32 { "no" }\n`);
    await assert.rejects(engine.build(fns.Rust), (err: unknown) => err instanceof UserError && /cargo build failed for Rust/.test(err.message) && /mismatched types|main\.rs/.test(err.message));
    assert.ok(readFileSync(bootstrap).equals(before));
  });
});
