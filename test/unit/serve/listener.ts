import type { ListenerSpec, RouteSpec } from '../../../src/core/serve/types';
import { testFunctionSpec } from '../../support/specs';

/** A listener as the route table makes one, with routes of a test function (defaults: ANY $default, payload 2.0). */
export function listener(kind: ListenerSpec['kind'], routes: Partial<RouteSpec>[] = [{}], over: Partial<ListenerSpec> = {}): ListenerSpec {
  const fn = testFunctionSpec();
  return {
    kind,
    name: 'Api',
    templatePath: '/t/template.yaml',
    stage: '$default',
    stageVariables: {},
    routes: routes.map((r) => ({ fn, method: 'ANY', path: '$default', payload: '2.0', scopes: [], timeoutMs: 30_000, ...r })),
    binaryMediaTypes: [],
    apiId: 'id',
    ...over,
  };
}
