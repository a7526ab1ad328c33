import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JAVA_POM_BUILD, JAVA_POM_DEPENDENCIES } from '../../../src/core/scaffold/code/java/project';
import { javaPackageFor } from '../../../src/core/scaffold/names';
import { ROOT } from './support';

describe('scaffold: Java projects', () => {
  it('declare the dependencies and plugins setup fetches ahead (test/fixtures/build/java-scaffold), so builds of them run offline', () => {
    const pom = readFileSync(join(ROOT, 'test', 'fixtures', 'build', 'java-scaffold', 'pom.xml'), 'utf8');
    assert.ok(pom.includes(JAVA_POM_DEPENDENCIES), 'the same <dependencies>');
    assert.ok(pom.includes(JAVA_POM_BUILD), 'the same <build>');
  });

  it('put the handler in a package named after the function: lower-case letters and digits, never a reserved word', () => {
    assert.equal(javaPackageFor('Orders-API_v2'), 'ordersapiv2');
    assert.equal(javaPackageFor('2fa-check'), 'facheck');
    assert.equal(javaPackageFor('new'), 'newfn');
    assert.equal(javaPackageFor('123'), 'function');
  });
});
