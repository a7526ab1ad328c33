/**
 * Links into the AWS Management Console. The console host depends on the partition (China and
 * GovCloud have their own); the region goes both in the host and in the query, as the console's
 * own links do.
 */
export function consoleBase(region: string): string {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
}

export function functionConsoleUrl(region: string, functionName: string): string {
  return `${consoleBase(region)}/lambda/home?region=${region}#/functions/${encodeURIComponent(functionName)}`;
}

export function layerConsoleUrl(region: string, layerName: string, version?: number): string {
  const base = `${consoleBase(region)}/lambda/home?region=${region}#/layers/${encodeURIComponent(layerName)}`;
  return version === undefined ? base : `${base}/versions/${version}`;
}

/** The console page of a function, layer or layer version, from its ARN; undefined for any other ARN. */
export function consoleUrlForArn(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'lambda') return undefined;
  const region = parts[3];
  if (parts[5] === 'function') return functionConsoleUrl(region, parts[6]);
  if (parts[5] === 'layer') {
    const version = parts[7] === undefined ? undefined : Number(parts[7]);
    return layerConsoleUrl(region, parts[6], Number.isInteger(version) ? version : undefined);
  }
  return undefined;
}
