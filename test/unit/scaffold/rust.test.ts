import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUST_DEPENDENCIES } from '../../../src/core/scaffold/code/rust/project';
import { crateNameFor } from '../../../src/core/scaffold/names';
import { ROOT } from './support';

describe('scaffold: Rust packages', () => {
  it("declare the dependencies setup compiles ahead (test/fixtures/build/rust-scaffold), so builds of them run offline", () => {
    const manifest = readFileSync(join(ROOT, 'test', 'fixtures', 'build', 'rust-scaffold', 'Cargo.toml'), 'utf8');
    assert.equal(manifest.slice(manifest.indexOf('[dependencies]\n') + '[dependencies]\n'.length), RUST_DEPENDENCIES);
  });

  it('are named after the function, starting with a letter as Cargo requires', () => {
    assert.equal(crateNameFor('Orders-API_v2'), 'orders-api_v2');
    assert.equal(crateNameFor('2fa-check'), 'fa-check');
    assert.equal(crateNameFor('123'), 'lambda-function');
  });
});
