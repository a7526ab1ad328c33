// The Cloud view's operations on deployed functions and layers. Nothing here loads the AWS SDK
// until a function runs.
export { consoleBase, consoleUrlForArn, functionConsoleUrl, layerConsoleUrl } from './console';
export { type DownloadOptions, type DownloadResult, downloadFunctionCode, downloadZipInto } from './download';
export { checkDownloadTarget } from './downloadTarget';
export { invokeRemote, type RemoteInvokeResult, reportLine } from './invoke';
export { assertLayerVersionUnused, attachLayer, deleteLayerVersion, detachLayer, type LayerCandidate, type LayerChange, type LayerUpdateResult, planAttach, planDetach } from './layers';
export { PagedList } from './pagedList';
export { functionPages, LAMBDA_PAGE_SIZE, layerPages, layerVersionPages, markerPages, type Page } from './paging';
export { layerUsage, nameList } from './usage';
