import type { FunctionConfiguration, LayersListItem, LayerVersionsListItem } from '@aws-sdk/client-lambda';
import type { LambdaSend } from '../deploy/types';

/** One page of a listing; `last` says no further request is needed. */
export interface Page<T> {
  items: T[];
  last: boolean;
}

/** Lambda's page size limit for ListFunctions, ListLayers and ListLayerVersions. */
export const LAMBDA_PAGE_SIZE = 50;

/**
 * Pages of a NextMarker listing. Yielding whole pages with `last` lets a caller tell "there is
 * more" without asking for the next page (which would cost a request before the first page shows).
 */
export async function* markerPages<T>(fetchPage: (marker: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): AsyncGenerator<Page<T>> {
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    marker = page.next;
    yield { items: page.items ?? [], last: !marker };
  } while (marker);
}

/**
 * Functions as Lambda lists them; with `allVersions` every published version too (a published
 * version keeps the layer versions it was published with).
 */
export function functionPages(lambda: LambdaSend, opts: { allVersions?: boolean; pageSize?: number } = {}): AsyncGenerator<Page<FunctionConfiguration>> {
  return markerPages(async (marker) => {
    const { ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
    const out = await lambda.send(
      new ListFunctionsCommand({ Marker: marker, MaxItems: opts.pageSize ?? LAMBDA_PAGE_SIZE, ...(opts.allVersions ? { FunctionVersion: 'ALL' as const } : {}) }),
    );
    return { items: out.Functions, next: out.NextMarker };
  });
}

export function layerPages(lambda: LambdaSend, pageSize = LAMBDA_PAGE_SIZE): AsyncGenerator<Page<LayersListItem>> {
  return markerPages(async (marker) => {
    const { ListLayersCommand } = await import('@aws-sdk/client-lambda');
    const out = await lambda.send(new ListLayersCommand({ Marker: marker, MaxItems: pageSize }));
    return { items: out.Layers, next: out.NextMarker };
  });
}

/** Versions of one layer, newest first (as Lambda lists them). */
export function layerVersionPages(lambda: LambdaSend, layerName: string, pageSize = LAMBDA_PAGE_SIZE): AsyncGenerator<Page<LayerVersionsListItem>> {
  return markerPages(async (marker) => {
    const { ListLayerVersionsCommand } = await import('@aws-sdk/client-lambda');
    const out = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, Marker: marker, MaxItems: pageSize }));
    return { items: out.LayerVersions, next: out.NextMarker };
  });
}
