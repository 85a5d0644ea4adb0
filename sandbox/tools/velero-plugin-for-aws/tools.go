//go:build tools

// The program this module builds; this file keeps `go mod tidy` from dropping it.
package tools

import _ "github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws"
