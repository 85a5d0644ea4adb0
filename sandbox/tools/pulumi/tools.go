//go:build tools

// The program this module builds; this file keeps `go mod tidy` from dropping it.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
