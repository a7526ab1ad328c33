import assert from 'node:assert/strict';
import { disposeAll } from '../../../src/core/dispose';

describe('open: disposing what the editor owns', () => {
  it('disposes in reverse order, waiting for each asynchronous dispose before the next', async () => {
    const events: string[] = [];
    const later = (name: string, ms: number) => ({
      dispose: async () => {
        events.push(`${name} start`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name} done`);
      },
    });
    await disposeAll([{ dispose: () => void events.push('log') }, later('core', 30), { dispose: () => void events.push('view') }, later('runs', 10)], () => assert.fail('no errors'));
    assert.deepEqual(events, ['runs start', 'runs done', 'view', 'core start', 'core done', 'log']);
  });

  it('reports a failing dispose, synchronous or not, and still disposes the rest', async () => {
    const disposed: string[] = [];
    const errors: string[] = [];
    await disposeAll(
      [
        { dispose: () => void disposed.push('first') },
        { dispose: () => Promise.reject(new Error('container removal failed')) },
        {
          dispose: () => {
            throw new Error('view dispose threw');
          },
        },
      ],
      (err) => errors.push((err as Error).message),
    );
    assert.deepEqual(errors, ['view dispose threw', 'container removal failed']);
    assert.deepEqual(disposed, ['first']);
  });
});
