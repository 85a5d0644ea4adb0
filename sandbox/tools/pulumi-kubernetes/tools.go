//go:build tools

// The program this module builds; this file keeps `go mod tidy` from dropping it.
package tools

import _ "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"
