import assert from 'node:assert/strict';
import { parseTemplate } from '../../../src/core/model';
import { changedFunctions, describeTemplateReload, unusableTemplate } from '../../../src/core/serve/templateReload';

const TEMPLATE = (memory: number, padding = ''): string => `${padding}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: a.b, CodeUri: ., MemorySize: ${memory}, Layers: [ !Ref L ] }
  L:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: l/ }
`;

describe('serve: reading a saved template again', () => {
  it('refuses a template that does not parse, is empty or has no Resources, and takes one with problems of its own', () => {
    assert.match(unusableTemplate(parseTemplate('/t/template.yaml', 'Resources: [\n')) ?? '', /^YAML: .*\(line \d+\)$/);
    assert.match(unusableTemplate(parseTemplate('/t/template.yaml', '')) ?? '', /empty/);
    assert.match(unusableTemplate(parseTemplate('/t/template.yaml', 'Outputs: {}\n')) ?? '', /Resources/);
    assert.equal(unusableTemplate(parseTemplate('/t/template.yaml', TEMPLATE(128).replace('Handler: a.b', 'Handler: 7'))), undefined);
  });

  it('tells a changed function by its settings, not by where it moved in the file', () => {
    const fns = (text: string) => parseTemplate('/t/template.yaml', text).functions;
    assert.deepEqual(changedFunctions(fns(TEMPLATE(128)), fns(TEMPLATE(128, '# moved\n\n'))), []);
    assert.deepEqual(changedFunctions(fns(TEMPLATE(128)), fns(TEMPLATE(256))), ['Fn']);
  });

  it('says what a reload did in one line', () => {
    const route = (path: string, logicalId: string) => ({ logicalId, templatePath: '/t/template.yaml', method: 'GET', url: `http://127.0.0.1:3000${path}`, kind: 'http-api' as const, listener: 'Api' });
    const base = { templatePath: '/t/template.yaml', added: [], removed: [], changed: [], warnings: [] };
    assert.equal(
      describeTemplateReload({ ...base, added: [route('/new', 'A')], removed: [route('/old', 'B')], changed: ['A'] }),
      'template.yaml reloaded: added GET http://127.0.0.1:3000/new (A); removed GET http://127.0.0.1:3000/old (B); changed A',
    );
    assert.equal(describeTemplateReload(base), 'template.yaml reloaded: no route or function changed');
    assert.equal(describeTemplateReload({ ...base, error: 'YAML: bad (line 2)' }), 'template.yaml not reloaded: YAML: bad (line 2); the previous routes keep serving');
  });
});
