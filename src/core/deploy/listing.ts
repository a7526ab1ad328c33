import type { FunctionConfiguration, LayersListItem, LayerVersionsListItem } from '@aws-sdk/client-lambda';
import type { LambdaSend } from './types';

/** Every layer in the account and region (ListLayers, following NextMarker). */
export async function* listLayers(lambda: LambdaSend): AsyncGenerator<LayersListItem> {
  const { ListLayersCommand } = await import('@aws-sdk/client-lambda');
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListLayersCommand({ Marker: marker, MaxItems: 50 }));
    yield* page.Layers ?? [];
    marker = page.NextMarker;
  } while (marker);
}

/** Every version of one layer, as Lambda orders them (newest first). */
export async function* listLayerVersions(lambda: LambdaSend, layerName: string): AsyncGenerator<LayerVersionsListItem> {
  const { ListLayerVersionsCommand } = await import('@aws-sdk/client-lambda');
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, Marker: marker, MaxItems: 50 }));
    yield* page.LayerVersions ?? [];
    marker = page.NextMarker;
  } while (marker);
}

/**
 * Every function, and with `allVersions` every published version too (a published version
 * keeps the layer versions it was published with).
 */
export async function* listFunctions(lambda: LambdaSend, opts: { allVersions?: boolean } = {}): AsyncGenerator<FunctionConfiguration> {
  const { ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListFunctionsCommand({ Marker: marker, MaxItems: 50, ...(opts.allVersions ? { FunctionVersion: 'ALL' as const } : {}) }),
    );
    yield* page.Functions ?? [];
    marker = page.NextMarker;
  } while (marker);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
