/**
 * The viewer behind `npx isometer dev`, for code that starts it in its own process (the demo
 * does). Not a package subpath: the bin is the product; this is its programmatic face, built
 * beside it as dist/dev/viewer.js.
 *
 * @example
 * import { startViewer, viewerExporter } from '../dist/dev/viewer.js';
 * const viewer = await startViewer({ port: 0 });
 */
export { startViewer, DEFAULT_VIEWER_PORT, type Viewer, type ViewerOptions } from './start-viewer';
export { viewerExporter } from './viewer-exporter';
export { createViewerStore, type ViewerStore, type ViewerReceived } from './viewer-store';
export { DEFAULT_VIEWER_LIMITS, type ViewerLimits } from './viewer-limits';
export type { IngestBatch, ViewerPoint, ViewerSpan, ViewerExemplar, ViewerOrigin, ViewerAttributes } from './viewer-types';
