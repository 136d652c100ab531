//go:build tools

// Wrapper module that builds the Pulumi Node.js language host.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
