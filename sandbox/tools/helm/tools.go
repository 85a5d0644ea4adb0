//go:build tools

// The program this module builds; this file keeps `go mod tidy` from dropping it.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
