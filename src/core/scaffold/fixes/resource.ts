import { dirname, posix, relative, sep } from 'node:path';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { UserError } from '../../errors';
import type { FunctionSpec } from '../../model/types';
import { parseTemplate, sectionKeys, SERVERLESS_TRANSFORM } from '../template/insert';
import type { FixSources } from './types';

/** What a size fix needs to know about a function's resource as written (not as Globals merge it). */
export interface ResourceFacts {
  text: string;
  doc: Document;
  /** Logical ids of the template's resources. */
  resources: Set<string>;
  /** Keys written in the resource's own Properties. */
  own: Set<string>;
  /** Keys of Globals.Function that apply to this function (minus what IgnoreGlobals drops). */
  fromGlobals: Set<string>;
}

/** Reads the template and checks the fixes' common ground: a serverless zip function with a local code folder. */
export function resourceFacts(fn: FunctionSpec, sources: FixSources, fix: string): ResourceFacts {
  if (fn.resourceType !== 'AWS::Serverless::Function') {
    throw new UserError(`${fn.logicalId} is an ${fn.resourceType}; ${fix} is offered for AWS::Serverless::Function resources.`, 'Make this change by hand.', 'fix-unsupported');
  }
  if (fn.packageType !== 'Zip') throw new UserError(`${fn.logicalId} is already a container image function.`, undefined, 'fix-unsupported');
  if (!fn.codeUri || fn.inlineCode !== undefined) {
    throw new UserError(`${fn.logicalId}'s code is not in a local folder, so ${fix} cannot move it.`, 'Point CodeUri at the function\'s folder first.', 'fix-unsupported');
  }
  const text = sources.readText(fn.templatePath);
  if (text === undefined) throw new UserError(`${fn.templatePath} does not exist any more.`, 'Nothing was changed.', 'file-changed');
  const doc = parseTemplate(text, fn.templatePath);
  const transform = doc.get('Transform');
  const transforms = isSeq(transform) ? transform.items.map((i) => (isScalar(i) ? i.value : i)) : [transform];
  if (!transforms.includes(SERVERLESS_TRANSFORM)) {
    throw new UserError(`${fn.templatePath} does not use the ${SERVERLESS_TRANSFORM} transform.`, `Add it to the template's Transform, then try again.`, 'template-transform');
  }
  const resource = doc.getIn(['Resources', fn.logicalId], true);
  if (!isMap(resource)) throw new UserError(`${fn.logicalId} is no longer in ${fn.templatePath}.`, 'Nothing was changed.', 'file-changed');
  const properties = resource.get('Properties', true);
  const own = new Set(isMap(properties) ? properties.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : [])) : []);
  const globals = doc.getIn(['Globals', 'Function'], true);
  const ignore = (resource.toJSON() as { IgnoreGlobals?: unknown }).IgnoreGlobals;
  const ignored = (key: string): boolean => ignore === '*' || (Array.isArray(ignore) && ignore.includes(key));
  const fromGlobals = new Set(isMap(globals) ? globals.items.flatMap((p) => (isScalar(p.key) && !ignored(String(p.key.value)) ? [String(p.key.value)] : [])) : []);
  return { text, doc, resources: new Set(sectionKeys(doc, 'Resources')), own, fromGlobals };
}

/** A path relative to the template's folder, with forward slashes, as the template writes paths. */
export function templateRelative(templatePath: string, abs: string): string {
  const rel = relative(dirname(templatePath), abs).split(sep).join(posix.sep);
  return rel === '' ? '.' : rel;
}

/** The first of `base`, base2, base3... that `taken` does not refuse. */
export function firstFree(base: string, taken: (candidate: string) => boolean): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!taken(candidate)) return candidate;
  }
}
