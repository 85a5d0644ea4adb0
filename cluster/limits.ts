/**
 * The cluster-facing commands' default time limits, in seconds, as the command line and the
 * docs/cli.md give them. No imports: `tke2eks --help` must not load the Kubernetes client.
 */
/** One API request, headers and body: a healthy server answers a get or a list page in well under a second. */
export const DEFAULT_REQUEST_TIMEOUT = 30;
/**
 * `await`: Velero itself waits up to its default itemOperationTimeout, 4 h, for a backup's or
 * restore's asynchronous operations (CSI snapshots; pkg/cmd/server/config/config.go:42 at
 * v1.18.2), after the items themselves: 5 h, so Velero, not we, says when it gave up.
 */
export const DEFAULT_AWAIT_TIMEOUT = 18_000;
/** `inventory`: five lists per namespace (the migration's Command allows 300 s plus slack). */
export const DEFAULT_INVENTORY_TIMEOUT = 300;
/** Live `preflight` (and the restore stage's `source-cluster` listing): every kind the rules judge, paginated. */
export const DEFAULT_SCAN_TIMEOUT = 600;
