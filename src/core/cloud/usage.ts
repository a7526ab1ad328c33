import type { FunctionConfiguration } from '@aws-sdk/client-lambda';

/**
 * Which functions use each layer version, by layer version ARN, from the functions' own
 * configurations (Layers[].Arn). Only the functions given are known: a caller that has listed
 * part of the account says so where it shows the result. A published function version is
 * named NAME:VERSION.
 */
export function layerUsage(functions: Iterable<FunctionConfiguration>): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const fn of functions) {
    if (!fn.FunctionName) continue;
    const name = fn.Version && fn.Version !== '$LATEST' ? `${fn.FunctionName}:${fn.Version}` : fn.FunctionName;
    for (const layer of fn.Layers ?? []) {
      if (!layer.Arn) continue;
      const list = users.get(layer.Arn);
      if (list) list.push(name);
      else users.set(layer.Arn, [name]);
    }
  }
  for (const list of users.values()) list.sort();
  return users;
}

/** "a, b, c and 4 more": names for a message that must stay readable. */
export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
