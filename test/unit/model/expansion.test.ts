import assert from 'node:assert/strict';
import { parseTemplate } from '../../../src/core/model';
import type { TemplateModel } from '../../../src/core/model/types';
import { fn, problemList } from './fixtures';

/**
 * Crafted templates of a few hundred KB whose aliases, merge keys, Globals or parameter defaults
 * repeat one value many times. Each must load in time linear in its size: either fully, when what
 * it expands to is reasonable, or up to a located 'alias-limit' error. (Timing is not asserted: a
 * quadratic or exponential reader runs into the test's time limit instead.)
 */
const HEAD = 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n';

function lines(n: number, line: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('');
}

/** The one alias-limit problem, and the text of the line it points at. */
function stopped(model: TemplateModel, text: string): string {
  const limits = model.problems.filter((p) => p.code === 'alias-limit');
  assert.equal(limits.length, 1, problemList(model).join(' '));
  assert.match(limits[0].message, /Reading stopped here/);
  return text.split('\n')[limits[0].range.start.line].slice(0, 60);
}

describe('model: templates that repeat values', () => {
  it('loads many aliases of one anchor fully, finding each anchor once', () => {
    const text = `${HEAD}      Environment:\n        Variables:\n          A: &a x\n${lines(20_000, (i) => `          K${i}: *a`)}`;
    assert.ok(text.length > 300_000);
    const model = parseTemplate('/x/template.yaml', text);
    assert.deepEqual(problemList(model), []);
    const env = fn(model, 'F').environment;
    assert.equal(Object.keys(env).length, 20_001);
    assert.equal(env.K19999, 'x');
  });

  it('stops where aliases of one large sequence exceed a multiple of the size, and still reads what came before', () => {
    const big = Array.from({ length: 2000 }, (_, i) => `v${i}`).join(', ');
    const text = `${HEAD}      Tags:\n        Big: &big [${big}]\n${lines(5000, (i) => `        R${i}: *big`)}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {8}R\d+: \*big$/);
    assert.equal(fn(model, 'F').runtime, 'nodejs22.x');
    assert.equal(fn(model, 'F').handler, 'app.handler');
  });

  it('stops where aliases of one large mapping exceed it', () => {
    const big = Array.from({ length: 2000 }, (_, i) => `k${i}: v`).join(', ');
    const text = `${HEAD}      Tags:\n        Big: &big {${big}}\n${lines(5000, (i) => `        R${i}: *big`)}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {8}R\d+: \*big$/);
    assert.equal(fn(model, 'F').runtime, 'nodejs22.x');
  });

  it('stops an exponential alias bomb at the alias that crossed the line', () => {
    const names = 'abcdefghijklmnop';
    const levels = [`${names[0]}: &${names[0]} [${Array(10).fill('"lol"').join(',')}]`];
    for (let i = 1; i < names.length; i++) levels.push(`${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(',')}]`);
    const text = `${HEAD}      Tags:\n${levels.map((l) => `        ${l}\n`).join('')}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {8}[a-p]: &[a-p] \[\*[a-p]/);
    assert.equal(fn(model, 'F').runtime, 'nodejs22.x');
  });

  it('stops many mappings that each merge one large mapping', () => {
    const big = Array.from({ length: 2000 }, (_, i) => `k${i}: v`).join(', ');
    const text = `${HEAD}      Tags:\n        Big: &big {${big}}\n${lines(3000, (i) => `        R${i}: {<<: *big, own: ${i}}`)}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {8}R\d+: \{<<: \*big/);
  });

  it('stops Globals that every function repeats, at the function where reading stopped', () => {
    const tags = lines(3000, (i) => `      T${i}: v`);
    const functions = lines(1500, (i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tags: {own: x}`);
    const text = `Globals:\n  Function:\n    Runtime: nodejs22.x\n    Handler: app.handler\n    Tags:\n${tags}Resources:\n${functions}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {2}F\d+:$/);
    assert.equal(fn(model, 'F0').runtime, 'nodejs22.x', 'the first functions are read in full');
  });

  it('stops a large parameter default that many !Refs repeat', () => {
    const list = Array(20_000).fill('arn:aws:lambda:eu-west-1:123456789012:layer:l:1').join(',');
    const functions = lines(500, (i) => `  F${i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      Layers: !Ref Many`);
    const text = `Parameters:\n  Many:\n    Type: CommaDelimitedList\n    Default: ${list}\nResources:\n${functions}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.match(stopped(model, text), /^ {2}F\d+:$/);
  });

  it('looks up keys of a large mapping that many aliases share without scanning it each time', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `K${i}: v`).join(', ');
    const params = lines(5000, (i) => `  P${i}: *p`);
    const text = `Parameters:\n  P: &p {${keys}, Type: String, Default: chosen}\n${params}${HEAD.replace('Handler: app.handler', 'Handler: !Ref P4999')}`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.deepEqual(problemList(model), []);
    assert.equal(fn(model, 'F').handler, 'chosen');
  });

  it('reads a mapping of many keys in linear time and still reports a duplicate where it stands', () => {
    const text = `${HEAD}      Environment:\n        Variables:\n${lines(60_000, (i) => `          K${i}: v`)}          K7: again\n`;
    const model = parseTemplate('/x/template.yaml', text);
    assert.deepEqual(problemList(model), ['yaml-duplicate-key@16']);
    assert.match(model.problems[0].message, new RegExp(`K7 is given again on line ${60_000 + 9}`));
    assert.equal(fn(model, 'F').environment.K7, 'again', 'the later duplicate wins');
  });
});
