import assert from 'node:assert/strict';
import { EXEC_FORMAT_ERROR, execFormatError, imageArchitectureError, lambdaArchitecture } from '../../../src/core/local/architecture';
import { CLI_SOURCES, EDITOR_SOURCES } from '../../../src/core/sources';

// What runc printed for an arm64 entrypoint on an x86_64 engine without emulation (the system test
// in test/system/local/arm64.test.ts meets it for real), and what busybox's sh prints for a bootstrap.
const RUNC = 'exec /var/task/bootstrap: exec format error';
const SHELL = '/lambda-entrypoint.sh: line 6: /var/runtime/bootstrap: Exec format error';

describe('architecture: which CPU runs what, and the errors when the engine cannot', () => {
  it("names engines' and images' CPUs as Lambda does", () => {
    assert.deepEqual(['x86_64', 'amd64', 'aarch64', 'arm64', 's390x', ''].map(lambdaArchitecture), ['x86_64', 'x86_64', 'arm64', 'arm64', undefined, undefined]);
  });

  it("recognises runc's and a shell's exec format error", () => {
    assert.ok(EXEC_FORMAT_ERROR.test(RUNC) && EXEC_FORMAT_ERROR.test(SHELL));
    assert.ok(!EXEC_FORMAT_ERROR.test('exec /var/task/bootstrap: no such file or directory'));
  });

  it("an engine of another CPU: it cannot emulate the function's, with how to let it or where else to run, in the CLI's and the editor's words", () => {
    for (const [sources, where] of [
      [CLI_SOURCES, '--docker-host, or the DOCKER_HOST variable'],
      [EDITOR_SOURCES, 'the lambdaWorkbench.docker.host setting'],
    ] as const) {
      const err = execFormatError({ logicalId: 'Fn', image: 'img', architecture: 'arm64', engineArchitecture: 'x86_64', line: `${RUNC}\n`, dockerHost: sources.chooseDockerHost });
      assert.equal(err.code, 'architecture-not-emulated');
      assert.equal(err.message, `The Docker engine runs x86_64 code and cannot run Fn, an arm64 function: its container (img) stopped with "${RUNC}", as it does when no emulator for arm64 is registered.`);
      assert.match(err.hint ?? '', /register QEMU's qemu-aarch64 with the kernel's binfmt_misc with the F flag/);
      assert.ok(err.hint?.endsWith(`Or run the function on x86_64 (Architectures: [x86_64] in the template), or on an engine on an arm64 machine (${where}).`), err.hint);
    }
    const reverse = execFormatError({ logicalId: 'Fn', image: 'img', architecture: 'x86_64', engineArchitecture: 'aarch64', line: SHELL, dockerHost: '--docker-host' });
    assert.equal(reverse.code, 'architecture-not-emulated');
    assert.match(reverse.hint ?? '', /qemu-x86_64.*Architectures: \[arm64\].*an engine on an x86_64 machine/s);
  });

  it("an engine of the function's own CPU: something in the package or image is for another CPU", () => {
    const err = execFormatError({ logicalId: 'Fn', image: 'img', architecture: 'x86_64', engineArchitecture: 'x86_64', line: SHELL, dockerHost: '--docker-host' });
    assert.equal(err.code, 'exec-format-error');
    assert.match(err.message, /a program in its package or image is built for another CPU than the function's x86_64/);
    assert.match(err.hint ?? '', /for x86_64, the function's Architectures/);
  });

  it('a mapped image for the other CPU names both and where images are mapped', () => {
    const err = imageArchitectureError({ image: 'mirror/provided:al2023', imageArchitecture: 'amd64', architecture: 'arm64', runtime: 'provided.al2023', mapIn: EDITOR_SOURCES.images });
    assert.equal(err.code, 'image-architecture');
    assert.equal(err.message, 'The image mirror/provided:al2023 is for x86_64, but the function runs on arm64 (its Architectures): Lambda would run its code on an arm64 CPU.');
    assert.equal(err.hint, "Map provided.al2023 to an image for linux/arm64 (the lambdaWorkbench.local.images setting), or set the function's Architectures to x86_64 in the template.");
  });
});
