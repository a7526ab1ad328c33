import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatBytes } from '../../src/core/size/format';
import { until, workbenchApi, workspaceRoot } from './api';

async function labels(nodes: vscode.TreeItem[]): Promise<string[]> {
  return nodes.map((n) => (typeof n.label === 'string' ? n.label : n.label?.label ?? ''));
}

describe('Functions view', () => {
  it('shows the sample functions and layer, with handler, layer and saved events under a function', async () => {
    const { functionsTree, sizes } = await workbenchApi();
    await sizes.flush();
    const roots = await functionsTree.getChildren();
    assert.deepEqual(await labels(roots), ['HelloNode', 'HelloPython', 'SharedLayer']);
    const helloNode = roots[0];
    assert.equal(helloNode.contextValue, 'lambdaWorkbench.function');
    // The exact package size, with the shared layer counted in the unzipped figure.
    const size = sizes.get({ templatePath: (helloNode as unknown as { fn: { templatePath: string } }).fn.templatePath, logicalId: 'HelloNode' });
    assert.ok(size && size.zippedBytes && size.totalUnzippedBytes && size.layersUnzippedBytes, 'HelloNode is measured');
    assert.equal(size.totalUnzippedBytes, size.unzippedBytes! + size.layersUnzippedBytes);
    // The one number that fits the sidebar: the share of the limit it is closest to. Built by an
    // earlier test (a local run or a deploy builds it), or an estimate, and then marked so.
    assert.match(String(helloNode.description), size.estimate ? /^<1% of 50 MiB \(est\.\)$/ : /^<1% of 50 MiB$/);
    // Every figure in the hover, saying what it counts: the unzipped total is code and layer.
    const hover = (helloNode.tooltip as vscode.MarkdownString).value;
    assert.ok(hover.includes(`Zipped: ${formatBytes(size.zippedBytes)}, of 50 MiB for a direct upload.`), hover);
    assert.ok(hover.includes(`Unzipped: ${formatBytes(size.unzippedBytes!)} of code and ${formatBytes(size.layersUnzippedBytes)} in 1 layer, ${formatBytes(size.totalUnzippedBytes)} together, of 250 MiB`), hover);
    // So small a package zips larger than its files; the hover says why.
    assert.ok(size.zippedBytes > size.unzippedBytes!);
    assert.match(hover, /The zip is larger than its files: a zip adds each file's name and headers/);
    const [layer] = roots.slice(2);
    assert.equal(layer.description, 'layer for HelloNode');
    const children = await functionsTree.getChildren(helloNode);
    // 'Last run' is there too when an earlier test in this host ran the function.
    assert.deepEqual((await labels(children)).filter((l) => l !== 'Last run'), ['Handler: app.handler', 'SharedLayer', 'Events']);
    assert.equal(children[1].description, 'layer at /opt');
    const events = await functionsTree.getChildren(children[2]);
    assert.deepEqual(await labels(events), ['get-hello']);
    assert.equal(events[0].description, 'apigateway-http', 'the event type from its file name');
  });

  it('follows edits to the template on disk, and shows located problems for a broken one', async () => {
    const { model, functionsTree } = await workbenchApi();
    const template = vscode.Uri.joinPath(workspaceRoot(), 'template.yaml');
    const original = Buffer.from(await vscode.workspace.fs.readFile(template)).toString('utf8');
    try {
      const added = original.replace(
        '  WorkQueue:\n',
        '  Extra:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.lambda_handler\n      CodeUri: hello-python/\n\n  WorkQueue:\n',
      );
      assert.notEqual(added, original);
      await vscode.workspace.fs.writeFile(template, Buffer.from(added));
      await until('the new function', model.onDidChange, () => (model.functions().some((f) => f.logicalId === 'Extra') ? true : undefined));
      assert.ok((await labels(await functionsTree.getChildren())).includes('Extra'));

      // Broken indentation: a located YAML problem, and the rest of the template still loads.
      const broken = original.replace('      Handler: app.handler\n', '      Handler: app.handler\n    Bad: [unclosed\n');
      await vscode.workspace.fs.writeFile(template, Buffer.from(broken));
      // An error: the sample Python function's warning (its dependency is not built) may be there already.
      const diagnostics = await until('an error on template.yaml', vscode.languages.onDidChangeDiagnostics, () => {
        const d = vscode.languages.getDiagnostics(template);
        return d.some((x) => x.severity === vscode.DiagnosticSeverity.Error) ? d : undefined;
      });
      assert.equal(diagnostics[0].source, 'Lambda Workbench');
      assert.ok(diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
      const line = original.split('\n').findIndex((l) => l === '      Handler: app.handler') + 1;
      assert.ok(diagnostics.some((d) => Math.abs(d.range.start.line - line) <= 2), `a problem is reported near line ${line + 1}`);
    } finally {
      await vscode.workspace.fs.writeFile(template, Buffer.from(original));
      // The YAML problem is gone (what stays is HelloPython's warning that its dependency is not built yet).
      await until('the restored template', vscode.languages.onDidChangeDiagnostics, () =>
        !vscode.languages.getDiagnostics(template).some((d) => d.severity === vscode.DiagnosticSeverity.Error) && !model.functions().some((f) => f.logicalId === 'Extra') ? true : undefined,
      );
    }
  });

  it('shows new sizes together with the Problems panel, not a debounce later', async () => {
    const { functionsTree, sizes, model } = await workbenchApi();
    await sizes.flush();
    let redrawn = 0;
    const sub = functionsTree.onDidChangeTreeData(() => redrawn++);
    try {
      sizes.schedule(model.functions());
      await sizes.flush();
      assert.ok(redrawn > 0, 'the tree redrew when the measurement arrived');
    } finally {
      sub.dispose();
    }
  });
});
