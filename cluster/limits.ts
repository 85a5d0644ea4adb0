/**
 * The cluster-facing commands' default time limits, in seconds, as the command line and the
 * README give them. No imports: `tke2eks --help` must not load the Kubernetes client.
 */
/** One API request, headers and body: a healthy server answers a get or a list page in well under a second. */
export const DEFAULT_REQUEST_TIMEOUT = 30;
/** `await`: a backup or restore of a few thousand objects and volumes. */
export const DEFAULT_AWAIT_TIMEOUT = 3600;
/** `inventory`: five lists per namespace (the migration's Command allows 300 s plus slack). */
export const DEFAULT_INVENTORY_TIMEOUT = 300;
/** Live `preflight` (and the restore stage's `source-cluster` listing): every kind the rules judge, paginated. */
export const DEFAULT_SCAN_TIMEOUT = 600;
