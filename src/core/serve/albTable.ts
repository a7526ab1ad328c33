import { hexFrom } from '../events/common';
import { isIntrinsic, isRef } from '../model/intrinsics';
import type { FunctionSpec, HttpResourceSpec, TemplateModel } from '../model/types';
import { record, strings } from './authConfig';
import type { ListenerSpec, RouteSpec } from './types';

// Application Load Balancers have no SAM event type: a target group of type lambda names the
// function, a listener forwards to it by default, and listener rules forward by path and method.
// Each listener (or, with none, each lambda target group) gets a port of its own, as a load
// balancer's listener has.

const ELB = 'AWS::ElasticLoadBalancingV2::';
/** ALB's own limit on a Lambda target's request and response: 1 MB. */
export const ALB_BODY_LIMIT_BYTES = 1024 * 1024;

interface TargetGroup {
  logicalId: string;
  fn: FunctionSpec;
  multiValueHeaders: boolean;
}

export function albListeners(model: TemplateModel, warnings: string[]): ListenerSpec[] {
  const of = (type: string): HttpResourceSpec[] => model.httpResources.filter((r) => r.resourceType === `${ELB}${type}`);
  const groups = new Map<string, TargetGroup>();
  for (const tg of of('TargetGroup')) {
    if (tg.properties.TargetType !== 'lambda') continue;
    const target = (Array.isArray(tg.properties.Targets) ? tg.properties.Targets : []).map((t) => functionOf(record(t).Id, model.functions)).find((f) => f);
    if (!target) {
      warnings.push(`The target group ${tg.logicalId} names no function of the template (Targets: - Id: !GetAtt Function.Arn): it is not served.`);
      continue;
    }
    const attributes = Array.isArray(tg.properties.TargetGroupAttributes) ? tg.properties.TargetGroupAttributes.map(record) : [];
    const multi = attributes.some((a) => a.Key === 'lambda.multi_value_headers.enabled' && String(a.Value) === 'true');
    groups.set(tg.logicalId, { logicalId: tg.logicalId, fn: target, multiValueHeaders: multi });
  }
  const listeners: ListenerSpec[] = [];
  const used = new Set<string>();
  for (const listener of of('Listener')) {
    const routes: RouteSpec[] = [];
    for (const rule of of('ListenerRule')) {
      if (refName(rule.properties.ListenerArn) !== listener.logicalId) continue;
      const group = forwarded(rule.properties.Actions, groups);
      if (!group) continue;
      routes.push(albRoute(group, rule, warnings));
    }
    const fallback = forwarded(listener.properties.DefaultActions, groups);
    if (fallback) routes.push(albRoute(fallback, undefined, warnings));
    if (routes.length === 0) continue;
    routes.sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity));
    for (const r of routes) used.add(r.targetGroup!.name);
    listeners.push(albListener(model.path, listener.logicalId, routes));
  }
  for (const group of groups.values()) {
    if (!used.has(group.logicalId)) listeners.push(albListener(model.path, group.logicalId, [albRoute(group, undefined, warnings)]));
  }
  return listeners;
}

function albListener(templatePath: string, name: string, routes: RouteSpec[]): ListenerSpec {
  return { kind: 'alb', name, templatePath, stage: '$default', stageVariables: {}, routes, binaryMediaTypes: [], apiId: hexFrom(`${templatePath}#${name}`, 16) };
}

function albRoute(group: TargetGroup, rule: HttpResourceSpec | undefined, warnings: string[]): RouteSpec {
  const route: RouteSpec = {
    fn: group.fn,
    method: 'ANY',
    path: '$default',
    payload: '1.0',
    scopes: [],
    // A load balancer waits for a Lambda target as long as the function may run.
    timeoutMs: group.fn.timeout * 1000,
    targetGroup: { name: group.logicalId, id: hexFrom(`target group ${group.logicalId}`, 16), multiValueHeaders: group.multiValueHeaders },
  };
  if (!rule) return route;
  const priority = Number(rule.properties.Priority);
  route.priority = Number.isFinite(priority) ? priority : Infinity;
  for (const c of Array.isArray(rule.properties.Conditions) ? rule.properties.Conditions.map(record) : []) {
    if (c.Field === 'path-pattern') {
      route.pathPatterns = strings(c.Values ?? record(c.PathPatternConfig).Values);
      route.path = route.pathPatterns[0] ?? '$default';
    } else if (c.Field === 'http-request-method') {
      route.methods = strings(c.Values ?? record(c.HttpRequestMethodConfig).Values).map((m) => m.toUpperCase());
      if (route.methods.length === 1) route.method = route.methods[0];
    } else {
      warnings.push(`The listener rule ${rule.logicalId} has a ${String(c.Field)} condition, which is not evaluated locally: the rule matches without it.`);
    }
  }
  return route;
}

/** The lambda target group a list of actions forwards to (forward with TargetGroupArn, or ForwardConfig's first). */
function forwarded(actions: unknown, groups: Map<string, TargetGroup>): TargetGroup | undefined {
  for (const a of Array.isArray(actions) ? actions.map(record) : []) {
    if (a.Type !== 'forward') continue;
    const arns = [a.TargetGroupArn, ...(Array.isArray(record(a.ForwardConfig).TargetGroups) ? (record(a.ForwardConfig).TargetGroups as unknown[]).map((t) => record(t).TargetGroupArn) : [])];
    for (const arn of arns) {
      const group = groups.get(refName(arn) ?? '');
      if (group) return group;
    }
  }
  return undefined;
}

function refName(v: unknown): string | undefined {
  return isRef(v) ? v.args : undefined;
}

function functionOf(id: unknown, functions: readonly FunctionSpec[]): FunctionSpec | undefined {
  if (!isIntrinsic(id) || id.fn !== 'GetAtt' || !Array.isArray(id.args)) return undefined;
  const [name] = id.args as unknown[];
  return functions.find((f) => f.logicalId === name);
}
